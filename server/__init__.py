"""The Scorecast hub: judges in over WebSockets, ranked leaderboards out."""

__version__ = "0.1.0"
