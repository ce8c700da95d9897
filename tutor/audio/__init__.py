"""Audio for the conversation socket, with no Django and nothing of the socket above it: what a
frame may be (`frames`) and the inbound budget (`rate_limit`), resampling and PCM conversion
(`resample`), Opus encode/decode (`opus`) and its wire framing (`opus_framing`), each socket's
codec state (`socket_audio`), and the learner's voice kept per turn (`learner_voice`)."""
