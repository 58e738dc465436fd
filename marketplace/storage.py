"""Storage for files that must never be public (identity documents)."""

from django.core.files.storage import FileSystemStorage


class PrivateFileSystemStorage(FileSystemStorage):
    """Files kept outside MEDIA_ROOT, without a URL; staff fetch them through admin views."""

    def url(self, name: str | None) -> str:
        raise ValueError("A private file has no public URL; serve it through a staff-only view.")
