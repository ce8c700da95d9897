"""ASGI entry point: HTTP through Django, WebSockets through Channels (origin-checked)."""

from __future__ import annotations

import gc
import os
import sys

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tutor.settings")
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402  (needs Django set up first)
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from tutor.conversation.drain import drain_on_shutdown  # noqa: E402
from tutor.frame_limit import install as install_frame_limit  # noqa: E402
from tutor.routing import websocket_urlpatterns  # noqa: E402
from tutor.startup import sweep_in_background  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": AllowedHostsOriginValidator(
            AuthMiddlewareStack(URLRouter(websocket_urlpatterns))
        ),
    }
)

# Frames over the size limit close with 4413, not a dropped connection (Daphne serves us).
install_frame_limit()

# Conversations nobody is behind any more (a process that died, a page left or never started):
# swept at start-up, then every SWEEP_EVERY_SECONDS.
sweep_in_background()

# SIGTERM hands every conversation here to another process (or finishes it) before exit.
drain_on_shutdown()

# Everything loaded by now lives as long as the process: keep it out of the collector's full
# passes, which paused Daphne for 80-270 ms with 100 conversations (bench/relay.py, py-spy).
gc.freeze()

# The database thread (turns, corrections, cards through database_sync_to_async) runs Python
# that holds the GIL; the loop waits for it up to one switch interval, 5 ms by default, which
# every conversation's audio frames then wait too. 1 ms bounds that wait: bench/gil_stall.py
# (loop p99 1.8x lower at 1 ms), bench/relay.py --probe (the GIL's share of the loop's stalls).
sys.setswitchinterval(0.001)
