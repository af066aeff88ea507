"""The trainable part of the model: a compact head over pooled Whisper encoder states, its training loss
(binary negative head + emotion head over the common label set, classes a corpus lacks masked out of its
clips' loss, corpora and classes balanced) and its calibration.

The head sees, for each chosen depth of the encoder, the mean (and optionally the standard deviation) over
the valid frames of the residual stream ([depths * stats * 384] values), standardised with fixed statistics of the training
set (folded into the exported graph), then either one linear layer per head (``hidden = 0``) or a shared
hidden layer (GELU, dropout) and the two linear outputs.
"""
import math
from dataclasses import dataclass, field, asdict
from typing import List

import numpy as np
import torch
from torch import nn
import torch.nn.functional as F

import data

N_EMOTIONS = len(data.EMOTIONS)


@dataclass
class HeadConfig:
    depths: List[int] = field(default_factory=lambda: [2])
    stats: List[int] = field(default_factory=lambda: [0, 1])  # 0 = mean, 1 = standard deviation over frames
    hidden: int = 0
    dropout: float = 0.2
    epochs: int = 30
    lr: float = 1e-3
    weight_decay: float = 1e-2
    batch: int = 256
    emotion_weight: float = 1.0
    input_dropout: float = 0.0
    unit_norm: bool = False  # each pooled 384-vector (depth, statistic) scaled to unit length, per utterance
    seed: int = 20261205
    # How corpora and classes are balanced (see loss_weights): ``weights`` shows every clip once per epoch and
    # weights its loss; ``sampling`` draws each epoch's clips with replacement in proportion to those weights
    # (so SAVEE's 480 clips are seen as often as nEMO's 4,481) with an unweighted binary loss.
    balance: str = "weights"
    # Corpus-adversarial training (Ganin et al. 2016, gradient reversal): a linear corpus classifier reads the
    # hidden layer through a reversed gradient of weight ``adversary`` (ramped up from 0 over training), so the
    # head is pushed towards features that do not tell the training corpora apart. 0 = off. Not exported.
    adversary: float = 0.0
    # Heads trained with seeds seed, seed + 1, ... on the same data, their uncalibrated logits averaged before the
    # one calibration (an ensemble; 1 = a single head).
    members: int = 1
    # Prosodic features (prosody_cache.py; names from tools/reference/prosody/prosody.py) appended to the
    # pooled states, standardised with them. Measured only: the shipped graph takes the states alone.
    prosody: List[str] = field(default_factory=list)

    def dict(self):
        return asdict(self)


class Head(nn.Module):
    def __init__(self, in_dim, cfg: HeadConfig):
        super().__init__()
        self.register_buffer("mean", torch.zeros(in_dim))
        self.register_buffer("scale", torch.ones(in_dim))
        self.in_drop = nn.Dropout(cfg.input_dropout)
        if cfg.hidden:
            self.body = nn.Sequential(nn.Linear(in_dim, cfg.hidden), nn.GELU(), nn.Dropout(cfg.dropout))
            width = cfg.hidden
        else:
            self.body = nn.Dropout(cfg.dropout)
            width = in_dim
        self.negative = nn.Linear(width, 1)
        self.emotion = nn.Linear(width, N_EMOTIONS)
        # Calibration of the negative logit, fitted after training: p = sigmoid(z / temperature + bias).
        self.register_buffer("temperature", torch.ones(()))
        self.register_buffer("bias", torch.zeros(()))
        self.unit_norm = cfg.unit_norm

    def prepare(self, x):
        """The per-utterance part of the input normalisation (none, or unit length per 384-vector)."""
        if not self.unit_norm:
            return x
        v = x.reshape(x.shape[0], -1, 384)
        return (v / v.pow(2).sum(-1, keepdim=True).sqrt().clamp(min=1e-6)).reshape(x.shape)

    def hidden(self, x):
        return self.body(self.in_drop((self.prepare(x) - self.mean) / self.scale))

    def outputs(self, h):
        return self.negative(h)[:, 0] / self.temperature + self.bias, self.emotion(h)

    def forward(self, x):
        return self.outputs(self.hidden(x))


class Ensemble(nn.Module):
    """Heads over the same input whose uncalibrated negative logits and emotion logits are averaged, then the
    negative logit calibrated as a single head's is: p = sigmoid(mean z / temperature + bias)."""

    def __init__(self, in_dim, cfg: HeadConfig):
        super().__init__()
        self.members = nn.ModuleList(Head(in_dim, cfg) for _ in range(cfg.members))
        self.register_buffer("temperature", torch.ones(()))
        self.register_buffer("bias", torch.zeros(()))

    def forward(self, x):
        outs = [m(x) for m in self.members]
        z = torch.stack([o[0] for o in outs]).mean(0)
        return z / self.temperature + self.bias, torch.stack([o[1] for o in outs]).mean(0)


def make_head(in_dim, cfg: HeadConfig):
    """The head a configuration describes, untrained: a Head, or an Ensemble of ``cfg.members`` of them."""
    return Ensemble(in_dim, cfg) if cfg.members > 1 else Head(in_dim, cfg)


def features(emb, depths, stats=(0, 1)):
    """[..., 6, 2, 384] pooled states -> [..., len(depths) * len(stats) * 384] float32."""
    return emb[..., depths, :, :][..., list(stats), :].flatten(start_dim=-3).float()


def _arrays(clips, idx):
    corpus = np.array([clips[i]["corpus"] for i in idx])
    emotion = np.array([data.EMOTIONS.index(clips[i]["emotion"]) for i in idx])
    negative = np.array([clips[i]["negative"] for i in idx])
    return corpus, emotion, negative


def loss_weights(clips, idx):
    """Per-clip weights for the binary and the emotion loss: every training corpus weighs the same; inside a
    corpus the negative and the not-negative side weigh the same (binary) or every class present weighs
    the same (emotion). Normalised to mean 1."""
    corpus, emotion, negative = _arrays(clips, idx)
    corpora = np.unique(corpus)
    wb = np.zeros(len(idx))
    we = np.zeros(len(idx))
    for c in corpora:
        mine = corpus == c
        for side in (0, 1):
            m = mine & (negative == side)
            if m.any():
                wb[m] = 1.0 / (2 * m.sum() * len(corpora))
        classes = np.unique(emotion[mine])
        for e in classes:
            m = mine & (emotion == e)
            we[m] = 1.0 / (len(classes) * m.sum() * len(corpora))
    return (torch.tensor(wb / wb.mean(), dtype=torch.float32), torch.tensor(we / we.mean(), dtype=torch.float32))


def class_masks(clips, idx):
    """[len(idx), N_EMOTIONS] bool: the emotions the clip's corpus has (others are masked out of its loss)."""
    corpus, emotion, _ = _arrays(clips, idx)
    m = np.zeros((len(idx), N_EMOTIONS), dtype=bool)
    for c in np.unique(corpus):
        mine = corpus == c
        m[np.ix_(mine, np.unique(emotion[mine]))] = True
    return torch.from_numpy(m)


class _ReverseGradient(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, weight):
        ctx.weight = weight
        return x.view_as(x)

    @staticmethod
    def backward(ctx, grad):
        return -ctx.weight * grad, None


def train_head(X, clips, idx, cfg: HeadConfig, present=None):
    """X: [N, R, F] features of all clips; trains on clips ``idx``, each epoch showing every clip once in one of
    its renditions drawn at random among those ``present`` ([N, R] bool; all of them when None). Returns the
    head in eval mode (not calibrated): one Head, or an Ensemble of ``cfg.members`` heads trained with seeds
    ``cfg.seed``, ``cfg.seed + 1``, ..."""
    if cfg.members == 1:
        return _train_one(X, clips, idx, cfg, present)
    ensemble = Ensemble(X.shape[-1], cfg)
    for k, member in enumerate(ensemble.members):
        one = HeadConfig(**{**cfg.dict(), "members": 1, "seed": cfg.seed + k})
        member.load_state_dict(_train_one(X, clips, idx, one, present).state_dict())
    return ensemble.eval()


def head_loss(z, e, y_neg, y_emo, wb, we, mask, emotion_weight=1.0):
    """The training loss of a batch: weighted binary cross-entropy of the negative logit plus weighted
    cross-entropy of the emotion logits, the classes a clip's corpus lacks (``mask`` False) left out."""
    lb = (F.binary_cross_entropy_with_logits(z, y_neg, reduction="none") * wb).mean()
    le = (F.cross_entropy(e.masked_fill(~mask, -1e4), y_emo, reduction="none") * we).mean()
    return lb + emotion_weight * le


def _train_one(X, clips, idx, cfg: HeadConfig, present=None):
    torch.manual_seed(cfg.seed)
    rng = np.random.default_rng(cfg.seed)
    x = X[idx]  # [n, r, F]
    n, r, f = x.shape
    have = (torch.ones(n, r, dtype=torch.bool) if present is None else present[idx]).numpy()
    if not have[:, 0].all():
        raise ValueError("every training clip needs its clean rendition")
    y_neg = torch.tensor([clips[i]["negative"] for i in idx], dtype=torch.float32)
    y_emo = torch.tensor([data.EMOTIONS.index(clips[i]["emotion"]) for i in idx])
    wb, we = loss_weights(clips, idx)
    mask = class_masks(clips, idx)
    head = Head(f, cfg)
    if cfg.adversary and not cfg.hidden:
        raise ValueError("the corpus adversary reads the hidden layer: set hidden")
    corpus_names = sorted({clips[i]["corpus"] for i in idx})
    y_corpus = torch.tensor([corpus_names.index(clips[i]["corpus"]) for i in idx])
    adversary = nn.Linear(cfg.hidden, len(corpus_names)) if cfg.adversary else None
    flat = head.prepare(x[:, 0])  # the standardisation statistics come from the clean rendition
    head.mean.copy_(flat.mean(0))
    head.scale.copy_(flat.std(0).clamp(min=1e-4))
    params = list(head.parameters()) + (list(adversary.parameters()) if adversary is not None else [])
    opt = torch.optim.AdamW(params, lr=cfg.lr, weight_decay=cfg.weight_decay)
    steps = cfg.epochs * math.ceil(n / cfg.batch)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=cfg.lr, total_steps=steps)
    counts = have.sum(1)
    if cfg.balance == "sampling":
        # the same expected objective as the weighted loss: clips drawn with probability wb, the binary loss
        # unweighted and the emotion loss weighted by we / wb
        draw = (wb / wb.sum()).double().numpy()
        we = we / wb
        wb = torch.ones_like(wb)
    elif cfg.balance != "weights":
        raise ValueError(f"balance {cfg.balance!r}: weights or sampling")
    head.train()
    step = 0
    for _ in range(cfg.epochs):
        order = rng.permutation(n) if cfg.balance == "weights" else rng.choice(n, size=n, p=draw / draw.sum())
        # each clip once per epoch, in a random rendition among those it has
        k = np.floor(rng.random(n) * counts).astype(int)
        pick = torch.from_numpy(np.argsort(~have, axis=1, kind="stable")[np.arange(n), k])
        for s in range(0, n, cfg.batch):
            b = torch.from_numpy(order[s: s + cfg.batch])
            hidden = head.hidden(x[b, pick[b]])
            z, e = head.outputs(hidden)
            loss = head_loss(z, e, y_neg[b], y_emo[b], wb[b], we[b], mask[b], cfg.emotion_weight)
            if adversary is not None:
                ramp = 2.0 / (1.0 + math.exp(-10.0 * step / steps)) - 1.0
                logits = adversary(_ReverseGradient.apply(hidden, cfg.adversary * ramp))
                loss = loss + (F.cross_entropy(logits, y_corpus[b], reduction="none") * wb[b]).mean()
            step += 1
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
    return head.eval()


@torch.no_grad()
def predict(head, x):
    """x: [n, F] -> (negative logit [n], emotion logits [n, E]) as numpy."""
    z, e = head(x)
    return z.numpy(), e.numpy()


def fit_calibration(z, y, mode, balanced=True):
    """Temperature (``temperature``), temperature and bias (``platt``) or bias alone (``bias``) for
    p = sigmoid(z / T + b), by maximum likelihood on held-out logits ``z`` (uncalibrated) and labels ``y``.
    ``balanced`` weighs the two classes equally (the shipped calibration: out-of-corpus logits pooled over corpora
    whose negative shares differ); unbalanced, the fit keeps the labelled set's own negative share, as a
    deployment recalibrating on its own speech should (``recalibrate.py``)."""
    if mode == "none":
        return 1.0, 0.0
    z = torch.tensor(z, dtype=torch.float64)
    y = torch.tensor(y, dtype=torch.float64)
    if balanced:
        w = torch.where(y > 0, 0.5 / y.sum(), 0.5 / (1 - y).sum())
    else:
        w = torch.full_like(y, 1.0 / len(y))
    log_t = torch.zeros((), dtype=torch.float64, requires_grad=mode in ("temperature", "platt"))
    b = torch.zeros((), dtype=torch.float64, requires_grad=mode in ("platt", "bias"))
    params = [p for p in (log_t, b) if p.requires_grad]
    opt = torch.optim.LBFGS(params, lr=0.5, max_iter=200, line_search_fn="strong_wolfe")

    def closure():
        opt.zero_grad()
        loss = (F.binary_cross_entropy_with_logits(z / log_t.exp() + b, y, reduction="none") * w).sum()
        loss.backward()
        return loss

    opt.step(closure)
    return float(log_t.exp()), float(b)
