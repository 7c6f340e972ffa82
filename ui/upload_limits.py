"""Every session's uploads bounded in bytes (`intake.uploads.MAX_SESSION_UPLOAD_BYTES`).

Streamlit's upload endpoint (PUT /_stcore/upload_file/{session}/{file}) takes any number of files
from any live session, signed in or not, each up to server.maxUploadSize, and keeps them in
memory until the session ends. `install` makes its in-memory store refuse a file (HTTP 413) that
would take the session, or the server, past the limits; it is installed when `ui.layout` is
first imported, which every page does before any widget exists to upload to.
"""

from __future__ import annotations

from typing import Any

from landscape.intake.uploads import upload_refusal

_installed: list[bool] = []  # once per process (the class is patched, not an instance)


def install() -> None:
    from starlette.exceptions import HTTPException
    from streamlit.runtime.memory_uploaded_file_manager import MemoryUploadedFileManager

    if _installed:
        return

    def add_file(self: MemoryUploadedFileManager, session_id: str, file: Any) -> None:
        # Streamlit's own add_file, with the check under the same lock, so that parallel
        # requests cannot each pass it against the same count.
        with self._lock:
            held = self.file_storage.get(session_id, {})
            old = held.get(file.file_id)
            replaced = len(old.data) if old is not None else 0
            session_bytes = sum(len(f.data) for f in held.values()) - replaced
            refusal = upload_refusal(session_bytes, self._total_bytes - replaced, len(file.data))
            if refusal is not None:
                raise HTTPException(status_code=413, detail=refusal)
            storage = self.file_storage[session_id]
            if old is None:
                self._file_count += 1
            storage[file.file_id] = file
            self._total_bytes += len(file.data) - replaced

    MemoryUploadedFileManager.add_file = add_file  # type: ignore[method-assign]
    _installed.append(True)
