#!/usr/bin/python3
"""Times torchaudio.functional.resample on 60 s of audio, one thread, for comparison with
sentiment-bench's ResamplerBenchmark. Run twice, as users run it and with glibc's mmap/trim disabled
(page faults cost ~50x the usual on this VM):

    /usr/bin/python3 tools/reference/audio/bench_torchaudio.py
    MALLOC_MMAP_MAX_=0 MALLOC_TRIM_THRESHOLD_=100000000000 /usr/bin/python3 tools/reference/audio/bench_torchaudio.py

Wall-clock and the thread's CPU time are both printed (the CPU time is what one core spends, which stays
meaningful when other processes share the machine). Two ways each: functional.resample (builds the kernel per call, as the issue's reference function) and
transforms.Resample (kernel built once, the fair comparison with a cached Java kernel).
"""
import statistics
import time

import numpy as np
import torch
import torchaudio
import torchaudio.functional as F
import torchaudio.transforms as T

torch.set_num_threads(1)
SECONDS = 60
for orig in (8000, 44100):
    rng = np.random.default_rng(1)
    x = torch.from_numpy((rng.standard_normal(orig * SECONDS) * 0.3).astype(np.float32))[None]
    transform = T.Resample(orig, 16000)
    for name, fn in (("functional.resample", lambda: F.resample(x, orig, 16000)),
                     ("transforms.Resample", lambda: transform(x))):
        for _ in range(3):
            fn()
        times, cpu = [], []
        for _ in range(10):
            t0, c0 = time.perf_counter(), time.thread_time()
            fn()
            times.append((time.perf_counter() - t0) * 1000)
            cpu.append((time.thread_time() - c0) * 1000)
        print(f"torchaudio {torchaudio.__version__} {name} {orig}->16000, {SECONDS} s, 1 thread: "
              f"wall median {statistics.median(times):.1f} ms (min {min(times):.1f}), "
              f"CPU median {statistics.median(cpu):.1f} ms = {SECONDS * 1000 / statistics.median(cpu):.0f}x real time "
              f"on one core (10 runs)")
