"""The frames a judge can send, as awaitable methods of ``JudgeClient``.

Each queues one frame in the outbox and returns the hub's ``Ack`` once it arrives, or raises
``Refused`` when the hub refuses it for good.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

from .states import FrameType
from .wire import Ack


class Verbs(ABC):
    @abstractmethod
    async def submit(self, type: str, timeout: float | None = None, **fields: Any) -> Ack:
        """Queue one frame of ``type`` and wait for its answer."""

    async def mark(
        self,
        program: str,
        competitor: str,
        aspect: str,
        value: str,
        *,
        id: str | None = None,
        timeout: float | None = None,
    ) -> Ack:
        return await self.submit(
            FrameType.MARK,
            timeout,
            id=id,
            program=program,
            competitor=competitor,
            aspect=aspect,
            value=str(value),
        )

    async def withdraw(
        self, program: str, competitor: str, aspect: str, *, timeout: float | None = None
    ) -> Ack:
        return await self.submit(
            FrameType.WITHDRAW, timeout, program=program, competitor=competitor, aspect=aspect
        )

    async def signoff(self, program: str, competitor: str, *, timeout: float | None = None) -> Ack:
        return await self.submit(FrameType.SIGNOFF, timeout, program=program, competitor=competitor)

    async def lock(
        self,
        program: str,
        competitor: str,
        criterion: str | None = None,
        reason: str | None = None,
        *,
        timeout: float | None = None,
    ) -> Ack:
        return await self.submit(
            FrameType.LOCK,
            timeout,
            program=program,
            competitor=competitor,
            criterion=criterion,
            reason=reason,
        )

    async def unlock(
        self,
        program: str,
        competitor: str,
        reason: str,
        criterion: str | None = None,
        *,
        timeout: float | None = None,
    ) -> Ack:
        return await self.submit(
            FrameType.UNLOCK,
            timeout,
            program=program,
            competitor=competitor,
            reason=reason,
            criterion=criterion,
        )

    async def visibility(
        self, program: str, visibility: str, *, timeout: float | None = None
    ) -> Ack:
        return await self.submit(
            FrameType.VISIBILITY, timeout, program=program, visibility=visibility
        )
