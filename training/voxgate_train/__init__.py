"""voxgate_train: training keyword, speaker and personal-VAD models for voxgate."""
