"""The candidate architectures.

``FbankNet``: compact dilated 1-D CNN (TDNN-like) over 64-bin Kaldi log-mel fbank. It takes the raw fbank
``features`` [B, T, 64] and int64 ``lengths`` [B]; everything it computes is masked to the valid frames, so
padding a batch never changes an answer. It normalises each utterance itself (per-bin mean and variance over
the valid frames) and also feeds the utterance's per-bin mean and standard deviation (spectral tilt, level
and dynamics, which the normalisation removes) to the classifier.

``ProsodyNet``: a small MLP over the interpretable prosodic features of prosody.py (standardised with the
training fold's statistics).
"""
import torch
from torch import nn


def masked_stats(x, mask, lengths):
    """x [B, T, C], mask [B, T, 1] float, lengths [B, 1] float -> mean [B, C], std [B, C] over valid frames."""
    mean = (x * mask).sum(1) / lengths
    var = (((x - mean.unsqueeze(1)) * mask) ** 2).sum(1) / lengths
    return mean, torch.sqrt(var + 1e-5)


class FbankNet(nn.Module):
    def __init__(self, n_mels=64, channels=64, hidden=64, dropout=0.3, dilations=(1, 2, 3), n_emotions=7,
                 time_pool=2):
        super().__init__()
        self.time_pool = time_pool
        self.convs = nn.ModuleList()
        self.norms = nn.ModuleList()
        cin = n_mels
        for d in dilations:
            self.convs.append(nn.Conv1d(cin, channels, 5, padding=2 * d, dilation=d))
            self.norms.append(nn.BatchNorm1d(channels))
            cin = channels
        self.side_norm = nn.BatchNorm1d(2 * n_mels)
        pooled = (2 * channels if dilations else 0) + 2 * n_mels
        self.drop = nn.Dropout(dropout)
        self.fc = nn.Linear(pooled, hidden)
        self.negative = nn.Linear(hidden, 2)
        self.emotion = nn.Linear(hidden, n_emotions)

    def forward(self, features, lengths):
        t = torch.arange(features.shape[1], device=features.device).unsqueeze(0)
        mask = (t < lengths.unsqueeze(1)).to(features.dtype).unsqueeze(2)  # [B, T, 1]
        n = lengths.to(features.dtype).clamp(min=1.0).unsqueeze(1)  # [B, 1]
        mean, std = masked_stats(features, mask, n)
        x = (features - mean.unsqueeze(1)) / std.unsqueeze(1) * mask
        pooled = [self.side_norm(torch.cat([mean, std], 1))]
        if len(self.convs):
            if self.time_pool > 1:
                # Average non-overlapping pairs of frames (20 ms steps): half the work, and a pair is valid
                # only if both frames are, so padding still never leaks in.
                p = self.time_pool
                b, t, d = x.shape
                x = x[:, : t // p * p].reshape(b, t // p, p, d).mean(2)
                lengths = torch.div(lengths, p, rounding_mode="floor")
                tp = torch.arange(x.shape[1], device=x.device).unsqueeze(0)
                mask = (tp < lengths.unsqueeze(1)).to(x.dtype).unsqueeze(2)
                n = lengths.to(x.dtype).clamp(min=1.0).unsqueeze(1)
                x = x * mask
            h = x.transpose(1, 2)  # [B, C, T]
            mask_t = mask.transpose(1, 2)
            for conv, norm in zip(self.convs, self.norms):
                h = torch.relu(norm(conv(h))) * mask_t
            hm, hs = masked_stats(h.transpose(1, 2), mask, n)
            pooled = [hm, hs] + pooled
        z = self.drop(torch.relu(self.fc(self.drop(torch.cat(pooled, 1)))))
        return self.negative(z), self.emotion(z)


class ProsodyNet(nn.Module):
    def __init__(self, n_in, hidden=64, dropout=0.3, n_emotions=7):
        super().__init__()
        self.body = nn.Sequential(nn.Dropout(0.1), nn.Linear(n_in, hidden), nn.ReLU(), nn.Dropout(dropout))
        self.negative = nn.Linear(hidden, 2)
        self.emotion = nn.Linear(hidden, n_emotions)

    def forward(self, x):
        z = self.body(x)
        return self.negative(z), self.emotion(z)
