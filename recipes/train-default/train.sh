#!/bin/sh
# Reproduces the bundled default model and every figure in its model card (CPU, about 40 min on 2 free cores).
#   sh recipes/train-default/train.sh            (from the repository root; corpus in ../shared/data/emodb
#                                                 or EMODB=/path/to/emodb)
set -eu
cd "$(dirname "$0")"
PY="nice -n 10 /usr/bin/python3"
mkdir -p runs
$PY features.py --augment 4                       # feature cache: clean, telephone, 4 random renditions
$PY train.py loso --arch prosody | tee runs/loso-prosody.log   # prosodic-feature MLP
$PY train.py loso --arch stats | tee runs/loso-stats.log       # utterance fbank statistics MLP
$PY train.py loso --arch cnn | tee runs/loso-cnn.log           # compact CNN over fbank
$PY train.py loso --arch cnn-sa | tee runs/loso-cnn-sa.log     # the same with SpecAugment-style masking
$PY train.py loso --arch cnn-long | tee runs/loso-cnn-long.log # the same, 45 epochs (chosen)
$PY train.py final --arch cnn-long | tee runs/final-cnn-long.log # chosen: all 10 speakers
$PY export.py --arch cnn-long                                  # package, model card, Java fixtures
