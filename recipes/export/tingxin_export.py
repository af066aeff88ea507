"""Build speech emotion models and export them as Tingxin model packages.

A Tingxin package is a folder with ``model.onnx``, ``tingxin-model.json`` and ``MODEL_CARD.md``
(docs/model-package.md). This module holds:

* backbones that return the last hidden state and its valid lengths: wav2vec 2.0 and HuBERT through
  ``torchaudio.models`` (``wav2vec2_model``; Hugging Face checkpoints through
  ``torchaudio.models.wav2vec2.utils.import_huggingface_model``), a Whisper encoder (parameter names of
  openai-whisper's ``AudioEncoder``, so its checkpoints load), and a compact fbank CNN;
* the paper's compact head (masked mean pooling of the last hidden state, dropout, Linear(H, H), tanh,
  dropout, Linear(H, n)) and its 11 two-way heads (``pairwise-softmax``, output ``[batch, 11, 2]``);
* ``export_package``: ONNX export (opset 17, dynamic batch and time, an int64 ``lengths`` input), the
  manifest and a model card stub;
* ``quantize_int8``: int8 quantisation of the graph's MatMuls (activations dynamic, or static with calibrated ranges), written with the ``onnx``
  package in the forms ONNX Runtime runs (DynamicQuantizeLinear + MatMulInteger; QuantizeLinear + MatMulIntegerToFloat).

Padding never changes an answer: every backbone masks what lies beyond each item's length (masked
GroupNorm statistics in wav2vec 2.0 / HuBERT base's first conv layer, zeroed padded frames between
convolutions, attention masks) and the pooling is a masked mean. ``check_padding_invariance`` proves it
for a model before export.

Runs with Debian's python3-torch 1.13, python3-torchaudio 0.13 and python3-onnx 1.12; no network.
"""

import json
import math
import os
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F
import torchaudio

OPSET = 17
FORMAT_VERSION = 1


# --------------------------------------------------------------------------------------------- masks


def time_mask(lengths: torch.Tensor, max_len: int) -> torch.Tensor:
    """[B, T] bool, True on valid frames."""
    return torch.arange(max_len, device=lengths.device)[None, :] < lengths[:, None]


def masked_mean(hidden: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
    """Mean over the valid frames of [B, T, H] (the paper's pooling, made blind to padding)."""
    mask = time_mask(lengths, hidden.shape[1]).to(hidden.dtype)[:, :, None]
    total = (hidden * mask).sum(dim=1)
    return total / lengths.clamp(min=1).to(hidden.dtype)[:, None]


# ----------------------------------------------------------------------------------- wav2vec 2.0 / HuBERT


class MaskedGroupNormConvBlock(nn.Module):
    """torchaudio's first ``ConvLayerBlock`` of a ``group_norm`` extractor, with the GroupNorm statistics
    taken over each item's valid frames only. Equal to the original for an unpadded item; without it,
    padding would change wav2vec 2.0 base / HuBERT base answers (their GroupNorm spans the time axis)."""

    def __init__(self, block):
        super().__init__()
        self.conv = block.conv
        self.layer_norm = block.layer_norm  # nn.GroupNorm(C, C): per-channel over time
        self.kernel_size = block.kernel_size
        self.stride = block.stride

    def forward(self, x, length):
        x = self.conv(x)
        length = torch.div(length - self.kernel_size, self.stride, rounding_mode="floor") + 1
        length = torch.max(torch.zeros_like(length), length)
        gn = self.layer_norm
        mask = time_mask(length, x.shape[2]).to(x.dtype)[:, None, :]  # [B, 1, T]
        count = length.clamp(min=1).to(x.dtype)[:, None, None]
        mean = (x * mask).sum(dim=2, keepdim=True) / count
        var = (((x - mean) * mask) ** 2).sum(dim=2, keepdim=True) / count
        x = (x - mean) / torch.sqrt(var + gn.eps)
        x = x * gn.weight[None, :, None] + gn.bias[None, :, None]
        x = F.gelu(x)
        return x, length


class Wav2Vec2Backbone(nn.Module):
    """wav2vec 2.0 or HuBERT (a ``torchaudio.models.Wav2Vec2Model`` without its aux head): raw waveform
    [B, samples] and lengths -> last hidden state [B, frames, H] and frame lengths."""

    layout = "batch-time"

    def __init__(self, model: torchaudio.models.Wav2Vec2Model):
        super().__init__()
        model.aux = None
        first = model.feature_extractor.conv_layers[0]
        if isinstance(first.layer_norm, nn.GroupNorm):
            model.feature_extractor.conv_layers[0] = MaskedGroupNormConvBlock(first)
        self.model = model
        self.hidden_size = model.encoder.feature_projection.projection.out_features

    def forward(self, waveform, lengths):
        x, frames = self.model.feature_extractor(waveform, lengths)
        # torchaudio's Encoder._preprocess, with the padded frames zeroed by a product: its in-place
        # ``x[mask] = 0.0`` exports to an ONNX Where that ONNX Runtime cannot broadcast.
        encoder = self.model.encoder
        x = encoder.feature_projection(x)
        b, t, _ = x.shape
        valid = time_mask(frames, t)
        x = x * valid[:, :, None].to(x.dtype)
        mask = -10000.0 * (~valid)[:, None, None, :].to(x.dtype)
        x = encoder.transformer(x, attention_mask=mask.expand(b, 1, t, t))
        return x, frames


# Architectures of the published models (torchaudio's factory functions use the same numbers).
W2V2_CONFIGS = {
    # tiny: real strides and receptive field, small widths, 2 layers (test fixtures)
    "tiny-layer-norm": dict(extractor_mode="layer_norm",
                            extractor_conv_layer_config=[(32, 10, 5)] + [(32, 3, 2)] * 4 + [(32, 2, 2)] * 2,
                            extractor_conv_bias=True, encoder_embed_dim=64, encoder_projection_dropout=0.1,
                            encoder_pos_conv_kernel=16, encoder_pos_conv_groups=4, encoder_num_layers=2,
                            encoder_num_heads=4, encoder_attention_dropout=0.1, encoder_ff_interm_features=128,
                            encoder_ff_interm_dropout=0.0, encoder_dropout=0.1, encoder_layer_norm_first=True,
                            encoder_layer_drop=0.0, aux_num_out=None),
    "tiny-group-norm": dict(extractor_mode="group_norm",
                            extractor_conv_layer_config=[(32, 10, 5)] + [(32, 3, 2)] * 4 + [(32, 2, 2)] * 2,
                            extractor_conv_bias=False, encoder_embed_dim=64, encoder_projection_dropout=0.1,
                            encoder_pos_conv_kernel=16, encoder_pos_conv_groups=4, encoder_num_layers=2,
                            encoder_num_heads=4, encoder_attention_dropout=0.1, encoder_ff_interm_features=128,
                            encoder_ff_interm_dropout=0.0, encoder_dropout=0.1, encoder_layer_norm_first=False,
                            encoder_layer_drop=0.0, aux_num_out=None),
    # wav2vec2-base / hubert-base-ls960
    "base": dict(extractor_mode="group_norm", extractor_conv_layer_config=None, extractor_conv_bias=False,
                 encoder_embed_dim=768, encoder_projection_dropout=0.1, encoder_pos_conv_kernel=128,
                 encoder_pos_conv_groups=16, encoder_num_layers=12, encoder_num_heads=12,
                 encoder_attention_dropout=0.1, encoder_ff_interm_features=3072, encoder_ff_interm_dropout=0.0,
                 encoder_dropout=0.1, encoder_layer_norm_first=False, encoder_layer_drop=0.0, aux_num_out=None),
    # wav2vec2-large-xlsr-53 (jonatasgrosman/wav2vec2-large-xlsr-53-chinese-zh-cn)
    "large-xlsr": dict(extractor_mode="layer_norm", extractor_conv_layer_config=None, extractor_conv_bias=True,
                       encoder_embed_dim=1024, encoder_projection_dropout=0.1, encoder_pos_conv_kernel=128,
                       encoder_pos_conv_groups=16, encoder_num_layers=24, encoder_num_heads=16,
                       encoder_attention_dropout=0.1, encoder_ff_interm_features=4096,
                       encoder_ff_interm_dropout=0.0, encoder_dropout=0.1, encoder_layer_norm_first=True,
                       encoder_layer_drop=0.0, aux_num_out=None),
}


def wav2vec2_backbone(config: str = "base", hf_dir: Optional[str] = None) -> Wav2Vec2Backbone:
    """A wav2vec 2.0 / HuBERT backbone: random weights from ``W2V2_CONFIGS[config]``, or a Hugging Face
    checkpoint already on disk (``hf_dir``, loaded with ``transformers`` offline and converted with
    torchaudio's ``import_huggingface_model``)."""
    if hf_dir is not None:
        import transformers  # only needed for Hugging Face checkpoints
        from torchaudio.models.wav2vec2.utils import import_huggingface_model
        hf = transformers.AutoModel.from_pretrained(hf_dir, local_files_only=True)
        return Wav2Vec2Backbone(import_huggingface_model(hf))
    return Wav2Vec2Backbone(torchaudio.models.wav2vec2_model(**W2V2_CONFIGS[config]))


# --------------------------------------------------------------------------------------------- Whisper


def sinusoids(length: int, channels: int, max_timescale: float = 10000.0) -> torch.Tensor:
    """openai-whisper's positional embedding."""
    log_timescale_increment = math.log(max_timescale) / (channels // 2 - 1)
    inv_timescales = torch.exp(-log_timescale_increment * torch.arange(channels // 2))
    scaled_time = torch.arange(length)[:, None] * inv_timescales[None, :]
    return torch.cat([torch.sin(scaled_time), torch.cos(scaled_time)], dim=1)


class WhisperAttention(nn.Module):
    def __init__(self, n_state: int, n_head: int):
        super().__init__()
        self.n_head = n_head
        self.query = nn.Linear(n_state, n_state)
        self.key = nn.Linear(n_state, n_state, bias=False)
        self.value = nn.Linear(n_state, n_state)
        self.out = nn.Linear(n_state, n_state)

    def forward(self, x, key_valid):
        b, t, c = x.shape
        scale = (c // self.n_head) ** -0.25
        q = self.query(x).view(b, t, self.n_head, -1).permute(0, 2, 1, 3) * scale
        k = self.key(x).view(b, t, self.n_head, -1).permute(0, 2, 3, 1) * scale
        v = self.value(x).view(b, t, self.n_head, -1).permute(0, 2, 1, 3)
        qk = (q @ k).float()
        qk = qk.masked_fill(~key_valid[:, None, None, :], float("-inf"))
        w = torch.softmax(qk, dim=-1).to(q.dtype)
        return self.out((w @ v).permute(0, 2, 1, 3).flatten(start_dim=2))


class WhisperBlock(nn.Module):
    def __init__(self, n_state: int, n_head: int):
        super().__init__()
        self.attn = WhisperAttention(n_state, n_head)
        self.attn_ln = nn.LayerNorm(n_state)
        self.mlp = nn.Sequential(nn.Linear(n_state, 4 * n_state), nn.GELU(), nn.Linear(4 * n_state, n_state))
        self.mlp_ln = nn.LayerNorm(n_state)

    def forward(self, x, key_valid):
        x = x + self.attn(self.attn_ln(x), key_valid)
        return x + self.mlp(self.mlp_ln(x))


class WhisperEncoderBackbone(nn.Module):
    """openai-whisper's ``AudioEncoder`` (same parameter names: load ``encoder.*`` of a checkpoint), taking
    log-mel [B, n_mels, frames] and lengths (frames). Padded frames are zeroed between the convolutions and
    masked out of attention, so a padded batch gives each item's unpadded answer. Real Whisper checkpoints
    take exactly 3000 frames (30 s; ``fixed_frames``), as they were trained."""

    layout = "batch-feature-time"

    def __init__(self, n_mels: int, n_ctx: int, n_state: int, n_head: int, n_layer: int):
        super().__init__()
        self.conv1 = nn.Conv1d(n_mels, n_state, kernel_size=3, padding=1)
        self.conv2 = nn.Conv1d(n_state, n_state, kernel_size=3, stride=2, padding=1)
        self.register_buffer("positional_embedding", sinusoids(n_ctx, n_state))
        self.blocks = nn.ModuleList([WhisperBlock(n_state, n_head) for _ in range(n_layer)])
        self.ln_post = nn.LayerNorm(n_state)
        self.hidden_size = n_state
        self.n_ctx = n_ctx

    def forward(self, mel, lengths):
        states, out_lengths = self.layer_states(mel, lengths)
        return self.ln_post(states[-1]), out_lengths

    def layer_states(self, mel, lengths, n_blocks: Optional[int] = None):
        """The residual stream before the first block and after each of the first ``n_blocks`` blocks (all by
        default), without ``ln_post``: a list of [B, frames, n_state], and the frame lengths."""
        x = F.gelu(self.conv1(mel))
        x = x * time_mask(lengths, x.shape[2]).to(x.dtype)[:, None, :]
        x = F.gelu(self.conv2(x))
        out_lengths = torch.div(lengths + 1, 2, rounding_mode="floor")  # ceil(len / 2): stride 2, pad 1, k 3
        x = x.permute(0, 2, 1)
        x = x + self.positional_embedding[: x.shape[1]]
        valid = time_mask(out_lengths, x.shape[1])
        states = [x]
        for block in self.blocks[: n_blocks if n_blocks is not None else len(self.blocks)]:
            x = block(x, valid)
            states.append(x)
        return states, out_lengths


WHISPER_CONFIGS = {
    "tiny-test": dict(n_mels=80, n_ctx=500, n_state=64, n_head=4, n_layer=2),
    "small": dict(n_mels=80, n_ctx=1500, n_state=768, n_head=12, n_layer=12),
    "medium": dict(n_mels=80, n_ctx=1500, n_state=1024, n_head=16, n_layer=24),
    "large-v3": dict(n_mels=128, n_ctx=1500, n_state=1280, n_head=20, n_layer=32),
}


def whisper_backbone(config: str = "small", checkpoint: Optional[str] = None) -> WhisperEncoderBackbone:
    """A Whisper encoder: random weights from ``WHISPER_CONFIGS[config]``, or the encoder of an
    openai-whisper checkpoint file (``{"dims": ..., "model_state_dict": ...}``) on disk."""
    if checkpoint is not None:
        ckpt = torch.load(checkpoint, map_location="cpu")
        d = ckpt["dims"]
        enc = WhisperEncoderBackbone(d["n_mels"], d["n_audio_ctx"], d["n_audio_state"], d["n_audio_head"],
                                     d["n_audio_layer"])
        state = {k[len("encoder."):]: v for k, v in ckpt["model_state_dict"].items() if k.startswith("encoder.")}
        enc.load_state_dict(state, strict=True)
        return enc
    return WhisperEncoderBackbone(**WHISPER_CONFIGS[config])


# ------------------------------------------------------------------------------------------- fbank CNN


class FbankCnnBackbone(nn.Module):
    """A compact CNN over Kaldi fbank frames [B, frames, n_mels]: Conv1d-BatchNorm-ReLU blocks over time,
    padded frames zeroed after each block."""

    layout = "batch-time-feature"

    def __init__(self, n_mels: int = 40, channels: int = 64, kernels: Sequence[int] = (5, 3)):
        super().__init__()
        layers = []
        c_in = n_mels
        for k in kernels:
            layers.append(nn.ModuleDict(dict(conv=nn.Conv1d(c_in, channels, k, padding=k // 2),
                                              norm=nn.BatchNorm1d(channels))))
            c_in = channels
        self.layers = nn.ModuleList(layers)
        self.hidden_size = channels

    def forward(self, fbank, lengths):
        x = fbank.transpose(1, 2)
        mask = time_mask(lengths, x.shape[2]).to(x.dtype)[:, None, :]
        x = x * mask
        for layer in self.layers:
            x = F.relu(layer["norm"](layer["conv"](x))) * mask
        return x.transpose(1, 2), lengths


# ---------------------------------------------------------------------------------------------- heads


class CompactHead(nn.Module):
    """The paper's head after pooling: dropout, Linear(H, H), tanh, dropout, Linear(H, n)."""

    def __init__(self, hidden: int, n: int, dropout: float = 0.1):
        super().__init__()
        self.dropout = nn.Dropout(dropout)
        self.dense = nn.Linear(hidden, hidden)
        self.out_proj = nn.Linear(hidden, n)

    def forward(self, pooled):
        x = torch.tanh(self.dense(self.dropout(pooled)))
        return self.out_proj(self.dropout(x))


class PairwiseHeads(nn.Module):
    """The paper's multi-label task: one two-way compact head per label, stacked to [B, labels, 2]."""

    def __init__(self, hidden: int, n_labels: int, dropout: float = 0.1):
        super().__init__()
        self.heads = nn.ModuleList([CompactHead(hidden, 2, dropout) for _ in range(n_labels)])

    def forward(self, pooled):
        return torch.stack([h(pooled) for h in self.heads], dim=1)


@dataclass
class Label:
    id: str
    english: str
    chinese: str
    negative: bool


@dataclass
class HeadSpec:
    """One head of the manifest and the module that computes its raw output."""
    name: str
    task: str  # binary | multi-label | multi-class | dimensional
    activation: str  # softmax | sigmoid | pairwise-softmax | none
    labels: List[Label]
    thresholds: Optional[List[float]] = None
    ranges: Optional[List[List[float]]] = None

    @property
    def output(self) -> str:
        return self.name + "_logits"

    @property
    def raw_size(self) -> int:
        return 2 if self.activation == "pairwise-softmax" else len(self.labels)

    def module(self, hidden: int) -> nn.Module:
        if self.activation == "pairwise-softmax":
            return PairwiseHeads(hidden, len(self.labels))
        return CompactHead(hidden, len(self.labels))


NEGATIVE_BINARY = [Label("not_negative", "not negative", "非负面", False), Label("negative", "negative", "负面", True)]
# A placeholder set of 11 negative emotions in the shape of the paper's task (11 two-way heads); a hotline
# replaces it with the labels its model was trained on.
PAPER_11 = [Label(*x, True) for x in [
    ("anger", "anger", "愤怒"), ("anxiety", "anxiety", "焦虑"), ("depression", "depression", "抑郁"),
    ("despair", "despair", "绝望"), ("fear", "fear", "恐惧"), ("grief", "grief", "悲伤"),
    ("guilt", "guilt", "内疚"), ("helplessness", "helplessness", "无助"), ("loneliness", "loneliness", "孤独"),
    ("shame", "shame", "羞耻"), ("irritability", "irritability", "烦躁")]]
EMODB_7 = [Label("anger", "anger", "愤怒", True), Label("boredom", "boredom", "厌倦", False),
           Label("disgust", "disgust", "厌恶", True), Label("fear", "fear", "恐惧", True),
           Label("happiness", "happiness", "快乐", False), Label("sadness", "sadness", "悲伤", True),
           Label("neutral", "neutral", "中性", False)]
AROUSAL_VALENCE = [Label("arousal", "arousal", "唤醒度", False), Label("valence", "valence", "效价", False)]


class TingxinModel(nn.Module):
    """Backbone + masked mean pooling + heads: (features, lengths) -> one raw output per head."""

    def __init__(self, backbone: nn.Module, heads: Sequence[HeadSpec]):
        super().__init__()
        self.backbone = backbone
        self.specs = list(heads)
        self.heads = nn.ModuleDict({h.name: h.module(backbone.hidden_size) for h in heads})

    def forward(self, features, lengths):
        hidden, frames = self.backbone(features, lengths)
        pooled = masked_mean(hidden, frames)
        return tuple(self.heads[h.name](pooled) for h in self.specs)


# --------------------------------------------------------------------------------------- feature recipes


def waveform_features(audio: torch.Tensor, normalize: str = "none") -> torch.Tensor:
    """The ``waveform`` recipe: [samples] -> [samples, 1]."""
    x = audio.to(torch.float32)
    if normalize == "wav2vec2":
        x = (x - x.mean()) / torch.sqrt(x.var(unbiased=False) + 1e-7)
    elif normalize == "layer-norm":
        x = F.layer_norm(x, x.shape, eps=1e-5)
    elif normalize != "none":
        raise ValueError(normalize)
    return x[:, None]


def kaldi_fbank_features(audio: torch.Tensor, sample_rate: int, **options) -> torch.Tensor:
    """The ``kaldi-fbank`` recipe (cmvn ``none`` only here): [samples] -> [frames, num_mel_bins]."""
    options = dict(options)
    assert options.pop("cmvn", "none") == "none"
    assert options.pop("waveform_scale", 1.0) == 1.0
    options.pop("dither_seed", None)
    assert options.pop("lfr_m", 1) == 1 and options.pop("lfr_n", 1) == 1
    return torchaudio.compliance.kaldi.fbank(audio[None, :].to(torch.float32), sample_frequency=sample_rate,
                                             **options)


def whisper_logmel_features(audio: torch.Tensor, n_mels: int = 80, n_fft: int = 400, hop_length: int = 160,
                            pad_to_seconds: int = 30, sample_rate: int = 16000) -> torch.Tensor:
    """The ``whisper-logmel`` recipe, as openai-whisper's ``log_mel_spectrogram``: [samples] -> [frames, n_mels]."""
    x = audio.to(torch.float32)
    if pad_to_seconds > 0:
        n = pad_to_seconds * sample_rate
        x = F.pad(x, (0, max(0, n - x.shape[0])))[:n]
    stft = torch.stft(x, n_fft, hop_length, window=torch.hann_window(n_fft), return_complex=True)
    magnitudes = stft[..., :-1].abs() ** 2
    filters = torchaudio.functional.melscale_fbanks(n_fft // 2 + 1, 0.0, sample_rate / 2.0, n_mels, sample_rate,
                                                    norm="slaney", mel_scale="slaney").T
    mel = filters @ magnitudes
    log_spec = torch.clamp(mel, min=1e-10).log10()
    log_spec = torch.maximum(log_spec, log_spec.max() - 8.0)
    return ((log_spec + 4.0) / 4.0).T.contiguous()


def compute_features(recipe: dict, audio: torch.Tensor, sample_rate: int) -> torch.Tensor:
    """Features of one clip by a manifest recipe, as Tingxin computes them: [frames, dim]."""
    t, o = recipe["type"], recipe.get("options", {})
    if t == "waveform":
        return waveform_features(audio, **o)
    if t == "kaldi-fbank":
        return kaldi_fbank_features(audio, sample_rate, **o)
    if t == "whisper-logmel":
        return whisper_logmel_features(audio, sample_rate=sample_rate, **o)
    raise ValueError("no reference implementation of recipe " + t)


def to_model_input(features: Sequence[torch.Tensor], layout: str, fixed_frames: int = 0):
    """Pads [frames, dim] items with zeros into the layout's tensor, as Java's FeatureBatch.of does."""
    lengths = [min(f.shape[0], fixed_frames) if fixed_frames else f.shape[0] for f in features]
    frames = fixed_frames or max(lengths)
    dim = features[0].shape[1]
    batch = torch.zeros(len(features), frames, dim)
    for i, f in enumerate(features):
        batch[i, : lengths[i]] = f[: lengths[i]]
    if layout == "batch-time":
        batch = batch[:, :, 0]
    elif layout == "batch-feature-time":
        batch = batch.transpose(1, 2).contiguous()
    return batch, torch.tensor(lengths, dtype=torch.int64)


# ----------------------------------------------------------------------------------------------- export


@dataclass
class PackageSpec:
    name: str
    version: str
    license: str
    description: str
    sample_rate: int
    features: dict
    fixed_frames: int = 0
    negative_head: Optional[str] = None
    min_seconds: float = 0.5
    max_seconds: float = 8.0
    short_input: str = "pad"  # how shorter audio is scored: "pad" (zeros to min_seconds) or "as-is"
    trained_on: str = "nothing: random weights"
    metrics: str = "none: random weights"
    command: str = ""


def manifest(spec: PackageSpec, layout: str, heads: Sequence[HeadSpec], lengths_input: bool = True) -> dict:
    m = {
        "formatVersion": FORMAT_VERSION, "name": spec.name, "version": spec.version, "license": spec.license,
        "description": spec.description, "sampleRate": spec.sample_rate, "features": spec.features,
        "input": {"name": "features", "layout": layout, "fixedFrames": spec.fixed_frames},
        "heads": [], "segments": {"minSeconds": spec.min_seconds, "maxSeconds": spec.max_seconds,
                                  "shortInput": spec.short_input},
        "provenance": {"trainedOn": spec.trained_on, "metrics": spec.metrics, "command": spec.command,
                       "modelCard": "MODEL_CARD.md"},
    }
    if lengths_input:
        m["input"]["lengths"] = "lengths"
    for h in heads:
        d = {"name": h.name, "task": h.task, "output": h.output, "activation": h.activation,
             "labels": [vars(l) for l in h.labels],
             "thresholds": h.thresholds or [0.5] * len(h.labels)}
        if h.ranges:
            d["ranges"] = h.ranges
        m["heads"].append(d)
    if spec.negative_head:
        m["negativeHead"] = spec.negative_head
    return m


def check_padding_invariance(model: TingxinModel, features: Sequence[torch.Tensor], layout: str,
                             fixed_frames: int = 0, atol: float = 1e-5) -> float:
    """Runs the items alone and as one padded batch; returns the largest difference (asserted <= atol)."""
    model.eval()
    with torch.no_grad():
        x, lengths = to_model_input(features, layout, fixed_frames)
        batched = model(x, lengths)
        worst = 0.0
        for i, f in enumerate(features):
            xi, li = to_model_input([f], layout, fixed_frames)
            alone = model(xi, li)
            for a, b in zip(alone, batched):
                worst = max(worst, (a[0] - b[i]).abs().max().item())
    assert worst <= atol, f"padding changes answers by {worst}"
    return worst


class WholeLength(nn.Module):
    """A graph without a lengths input: every item is taken as unpadded (Tingxin then runs items of
    different lengths one by one)."""

    def __init__(self, model: TingxinModel):
        super().__init__()
        self.model = model
        self.time_axis = 2 if model.backbone.layout == "batch-feature-time" else 1

    def forward(self, features):
        b, t = features.shape[0], features.shape[self.time_axis]
        lengths = torch.ones(b, dtype=torch.int64) * t
        return self.model(features, lengths)


def export_package(model: TingxinModel, spec: PackageSpec, out_dir: str, example: torch.Tensor,
                   example_lengths: torch.Tensor, card_extra: str = "", random_weights: bool = True,
                   lengths_input: bool = True) -> dict:
    """Writes ``model.onnx``, ``tingxin-model.json`` and ``MODEL_CARD.md`` into ``out_dir``.

    ``lengths_input=False`` exports a graph without the lengths input (only for models that cannot mask
    padding; Tingxin then runs segments of different lengths one at a time)."""
    os.makedirs(out_dir, exist_ok=True)
    model.eval()
    layout = model.backbone.layout
    outputs = [h.output for h in model.specs]
    time_axis = 2 if layout == "batch-feature-time" else 1
    dynamic = {"features": {0: "batch"}}
    if lengths_input:
        dynamic["lengths"] = {0: "batch"}
    if not spec.fixed_frames:
        dynamic["features"][time_axis] = "time"
    for o in outputs:
        dynamic[o] = {0: "batch"}
    path = os.path.join(out_dir, "model.onnx")
    with torch.no_grad():
        torch.onnx.export(model if lengths_input else WholeLength(model),
                          (example, example_lengths) if lengths_input else (example,), path,
                          input_names=["features", "lengths"] if lengths_input else ["features"],
                          output_names=outputs, dynamic_axes=dynamic, opset_version=OPSET,
                          do_constant_folding=True)
    import onnx
    onnx.checker.check_model(onnx.load(path))
    m = manifest(spec, layout, model.specs, lengths_input)
    with open(os.path.join(out_dir, "tingxin-model.json"), "w", encoding="utf-8") as f:
        json.dump(m, f, ensure_ascii=False, indent=2)
        f.write("\n")
    write_model_card(out_dir, spec, m, random_weights, card_extra)
    return m


def write_model_card(out_dir: str, spec: PackageSpec, m: dict, random_weights: bool, extra: str = "") -> None:
    heads = "\n".join(f"- `{h['name']}`: {h['task']}, {h['activation']}, "
                      f"{len(h['labels'])} labels ({', '.join(l['id'] for l in h['labels'])})" for h in m["heads"])
    weights = ("**Random weights.** This package was built from an architecture configuration with seeded "
               "random weights. Its scores mean nothing: it exists to test that Tingxin runs the architecture "
               "exactly as PyTorch does. Never use it on calls.") if random_weights else (
               "Weights: " + spec.trained_on + ".\n\nFill in: training data, intended use (supporting, never "
               "replacing, a counsellor's judgement), known limits (languages, telephone channels, speakers), "
               "metrics with the split and the command that made them.")
    with open(os.path.join(out_dir, "MODEL_CARD.md"), "w", encoding="utf-8") as f:
        f.write(f"# {spec.name} {spec.version}\n\n{spec.description}\n\n{weights}\n\n"
                f"## Package\n- licence: {spec.license}\n- sample rate: {spec.sample_rate} Hz\n"
                f"- features: `{json.dumps(spec.features, ensure_ascii=False)}`\n"
                f"- input: `{m['input']['layout']}`"
                + (" with lengths (padding never changes an answer)\n" if "lengths" in m["input"] else
                   " without lengths (segments of different lengths run one at a time)\n")
                + f"{heads}\n\n## Provenance\n- trained on: {spec.trained_on}\n- metrics: {spec.metrics}\n"
                f"- command: `{spec.command}`\n{extra}")


# ---------------------------------------------------------------------------------- int8 quantisation


def int8_weight(arr, per_channel: bool):
    """(q, scale) of a float [in, out] MatMul weight: symmetric int8 in [-127, 127], one scale per tensor or per
    output column (``per_channel``), rounded half to even: what ``quantize_int8`` stores, and what an
    emulation of its graph must use."""
    import numpy as np
    if per_channel:
        scale = np.maximum(np.abs(arr).max(axis=0), 1e-12).astype(np.float32) / np.float32(127.0)
    else:
        scale = np.array(max(float(np.abs(arr).max()), 1e-12) / 127.0, dtype=np.float32)
    return np.clip(np.round(arr / scale), -127, 127).astype(np.int8), scale


def uint8_activation(lo: float, hi: float):
    """(scale, zero point) of a fixed uint8 activation range covering [lo, hi] and 0, as ONNX Runtime's
    quantisers compute them: scale (hi - lo) / 255 (float32), zero point round(-lo / scale)."""
    import numpy as np
    lo, hi = min(0.0, float(lo)), max(0.0, float(hi))
    scale = np.float32((hi - lo) / 255.0 if hi > lo else 1.0)
    return scale, np.uint8(min(255, max(0, round(-lo / float(scale)))))


def quantize_int8(src: str, dst: str, min_elements: int = 4096, per_channel: bool = False,
                          activation_ranges: dict = None) -> int:
    """Int8 quantisation of every MatMul whose second input is a constant float matrix of at least
    ``min_elements`` values, in the form ONNX Runtime's ``quantize_dynamic`` writes (weights: symmetric int8
    per tensor, or with ``per_channel`` one scale per output column; activations: DynamicQuantizeLinear to
    uint8 at run time; MatMulInteger; rescale).

    With ``activation_ranges`` (weight initializer name -> (min, max) of the MatMul's activation input, measured
    on calibration data) those MatMuls quantise their activations with that fixed range instead (QuantizeLinear,
    uint8, asymmetric): static quantisation. Its result for a row depends on that row alone, so a segment scores
    the same alone and in any batch, which dynamic quantisation (one range per batch tensor) does not give.
    Every quantised MatMul must then have a range.

    ONNX Runtime's Python quantiser is not installed here, so this is written with the ``onnx`` package.
    Returns the number of MatMuls quantised. Accuracy must be checked on real data before use.
    """
    import numpy as np
    import onnx
    from onnx import helper, numpy_helper, TensorProto

    model = onnx.load(src)
    graph = model.graph
    inits = {i.name: i for i in graph.initializer}
    new_nodes, count = [], 0
    for node in graph.node:
        w = inits.get(node.input[1]) if node.op_type == "MatMul" and len(node.input) == 2 else None
        if w is None or w.data_type != TensorProto.FLOAT or len(w.dims) != 2 or np.prod(w.dims) < min_elements:
            new_nodes.append(node)
            continue
        count += 1
        q, scale = int8_weight(numpy_helper.to_array(w), per_channel)
        p = node.name or f"matmul{count}"
        a = node.input[0]
        graph.initializer.extend([numpy_helper.from_array(q, p + "_w_q"),
                                  numpy_helper.from_array(scale.astype(np.float32), p + "_w_scale"),
                                  numpy_helper.from_array(np.array(0, dtype=np.int8), p + "_w_zp")])
        if activation_ranges is not None:
            if node.input[1] not in activation_ranges:
                raise ValueError(f"no activation range for the MatMul of {node.input[1]} ({node.name})")
            a_scale, a_zp = uint8_activation(*activation_ranges[node.input[1]])
            graph.initializer.extend([numpy_helper.from_array(np.array(a_scale), p + "_a_scale"),
                                      numpy_helper.from_array(np.array(a_zp), p + "_a_zp")])
            # ONNX Runtime's contrib MatMulIntegerToFloat: the integer product and its rescale in one kernel
            # (what its own fusion makes of the dynamic form; a standalone MatMulInteger + Cast + Mul is slower).
            new_nodes += [
                helper.make_node("QuantizeLinear", [a, p + "_a_scale", p + "_a_zp"], [p + "_a_q"]),
                helper.make_node("MatMulIntegerToFloat", [p + "_a_q", p + "_w_q", p + "_a_scale", p + "_w_scale",
                                                          p + "_a_zp", p + "_w_zp"], [node.output[0]],
                                 domain="com.microsoft"),
            ]
            continue
        new_nodes += [
            helper.make_node("DynamicQuantizeLinear", [a], [p + "_a_q", p + "_a_scale", p + "_a_zp"]),
            helper.make_node("MatMulInteger", [p + "_a_q", p + "_w_q", p + "_a_zp", p + "_w_zp"], [p + "_int"]),
            helper.make_node("Cast", [p + "_int"], [p + "_f"], to=TensorProto.FLOAT),
            helper.make_node("Mul", [p + "_a_scale", p + "_w_scale"], [p + "_scale"]),
            helper.make_node("Mul", [p + "_f", p + "_scale"], [node.output[0]]),
        ]
    del graph.node[:]
    graph.node.extend(new_nodes)
    used = {i for n in graph.node for i in n.input}
    keep = [i for i in graph.initializer if i.name in used]
    del graph.initializer[:]
    graph.initializer.extend(keep)
    if any(n.domain == "com.microsoft" for n in graph.node) and not any(
            o.domain == "com.microsoft" for o in model.opset_import):
        model.opset_import.append(helper.make_opsetid("com.microsoft", 1))
    onnx.checker.check_model(model)
    onnx.save(model, dst)
    return count
