from django.db import models


class BoardVersion(models.Model):
    """The growing version of one live board's snapshots, keyed by the board's group ("lb.12", "cb.site.week").

    Taking a snapshot bumps the row and reads the board in one transaction (live.boards),
    so concurrent snapshots queue on it and a higher version never holds older data.
    """

    key = models.CharField(max_length=100, unique=True)
    version = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.key}: v{self.version}"
