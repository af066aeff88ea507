"""The shipped graph: Tingxin whisper-logmel [B, 80, T] and lengths [B] (frames) -> the Whisper tiny.en
encoder, cut after the deepest block the head reads, at the input's own length (positional embedding sliced
to it, padded frames masked out of the convolutions and of attention) -> mean and standard deviation of the
residual stream over each item's valid frames at the chosen depths -> the trained head ->
``negative_logits`` [B, 2] (not negative, negative; softmax = calibrated probability) and
``emotion_logits`` [B, 8] (data.EMOTIONS order).
"""
import sys
from pathlib import Path

import torch
from torch import nn

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "export"))
import tingxin_export as tx  # noqa: E402
import data  # noqa: E402
import heads  # noqa: E402

LAYOUT = "batch-feature-time"


def masked_mean_std(x, lengths):
    """Mean and population standard deviation over the valid frames of [B, T, H] -> [B, 2, H]."""
    mask = tx.time_mask(lengths, x.shape[1]).to(x.dtype)[:, :, None]
    count = lengths.clamp(min=1).to(x.dtype)[:, None]
    mean = (x * mask).sum(1) / count
    var = (((x - mean[:, None, :]) * mask) ** 2).sum(1) / count
    return torch.stack([mean, var.sqrt()], dim=1)


class Backbone(nn.Module):
    """The Whisper encoder truncated after block ``max(depths)``; returns the pooled states [B, D*S*384]
    in the layout of the embedding cache (depth, statistic, channel), S the chosen statistics."""

    layout = LAYOUT

    def __init__(self, encoder: tx.WhisperEncoderBackbone, depths, stats=(0, 1)):
        super().__init__()
        self.depths = list(depths)
        self.stats = list(stats)
        self.n_blocks = min(max(self.depths), len(encoder.blocks))
        self.encoder = encoder
        encoder.blocks = encoder.blocks[: self.n_blocks]  # later blocks are never run: drop their weights
        if max(self.depths) <= len(encoder.blocks) and max(self.depths) < 5:
            encoder.ln_post = nn.Identity()
        self.hidden_size = len(self.depths) * len(self.stats) * encoder.hidden_size

    def forward(self, mel, lengths):
        states, frames = self.encoder.layer_states(mel, lengths, self.n_blocks)
        if 5 in self.depths:
            states = states + [self.encoder.ln_post(states[-1])]
        if self.stats == [0]:
            pooled = [tx.masked_mean(states[d], frames)[:, None] for d in self.depths]
        else:
            pooled = [masked_mean_std(states[d], frames)[:, self.stats] for d in self.depths]
        return torch.stack(pooled, dim=1).flatten(start_dim=1)


class EmotionModel(nn.Module):
    """(features, lengths) -> (negative_logits [B, 2], emotion_logits [B, 8])."""

    def __init__(self, backbone: Backbone, head: heads.Head):
        super().__init__()
        self.backbone = backbone
        self.head = head
        self.specs = [
            tx.HeadSpec("negative", "binary", "softmax", tx.NEGATIVE_BINARY, thresholds=[0.5, 0.5]),
            tx.HeadSpec("emotion", "multi-class", "softmax",
                        [tx.Label(e, e, data.CHINESE[e], e in data.NEGATIVE) for e in data.EMOTIONS]),
        ]

    def forward(self, features, lengths):
        z, emotion = self.head(self.backbone(features, lengths))
        negative = torch.stack([torch.zeros_like(z), z], dim=1)  # softmax([0, z]) = sigmoid(z)
        return negative, emotion


def build(encoder_checkpoint, head_state, cfg: heads.HeadConfig):
    encoder = tx.whisper_backbone(checkpoint=str(encoder_checkpoint))
    backbone = Backbone(encoder, cfg.depths, cfg.stats)
    head = heads.make_head(backbone.hidden_size, cfg)
    head.load_state_dict(head_state)
    return EmotionModel(backbone, head).eval()
