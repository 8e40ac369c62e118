"""Uploads to the import page: streamed to temporary files on disk, and bounded, so an upload never sits in memory.

Django's default handlers keep each upload of up to FILE_UPLOAD_MAX_MEMORY_SIZE in memory and stream larger ones to
disk whatever their size; the import page uses this handler instead, for every file.
"""

from django.core.files.uploadhandler import SkipFile, TemporaryFileUploadHandler


class BoundedUploadHandler(TemporaryFileUploadHandler):
    """Stream each uploaded file to a temporary file, and stop one as soon as it passes `max_file_bytes`.

    A stopped file is not kept: its temporary file is deleted, the rest of it is read past without being stored,
    and the files after it are received as usual. `refused` lists each stopped file's name and the bytes that had
    arrived when it was stopped, for the page to report.
    """

    def __init__(self, request=None, *, max_file_bytes: int):
        super().__init__(request)
        self.max_file_bytes = max_file_bytes
        self.refused: list[tuple[str, int]] = []

    def receive_data_chunk(self, raw_data, start):
        received = start + len(raw_data)
        if received > self.max_file_bytes:
            self.refused.append((self.file_name, received))
            raise SkipFile
        return super().receive_data_chunk(raw_data, start)
