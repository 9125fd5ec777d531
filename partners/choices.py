from django.db import models
from django.utils.translation import gettext_lazy as _

from prm.core.roles import OrgKind, Role

__all__ = ["OrgKind", "Role", "PartnerStatus", "CreditStatus", "Segment", "Capability", "UploadStatus", "UploadStage"]


class PartnerStatus(models.TextChoices):
    APPLICANT = "applicant", _("Applicant")
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    TERMINATED = "terminated", _("Terminated")


class CreditStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered (buys on credit)")
    PREPAY = "prepay", _("Pays on order")


class Segment(models.TextChoices):
    RETAIL = "retail", _("Retail")
    CORPORATE = "corporate", _("Corporate")
    GOVERNMENT = "government", _("Government")
    EDUCATION = "education", _("Education")
    HEALTHCARE = "healthcare", _("Healthcare")
    INSTALLATION = "installation", _("Installation & service")
    ONLINE = "online", _("Online")


class Capability(models.TextChoices):
    INSTALLATION = "installation", _("Installation")
    REPAIR = "repair", _("Repair")
    B2B = "b2b", _("B2B sales")


class UploadStatus(models.TextChoices):
    ANALYSING = "analysing", _("Reading the file")
    MAPPING = "mapping", _("Check the columns")
    PENDING = "pending", _("Waiting")
    PROCESSING = "processing", _("Importing")
    DONE = "done", _("Done")
    FAILED = "failed", _("Could not be read")
    CANCELLED = "cancelled", _("Cancelled")


class UploadStage(models.TextChoices):
    """Where a running import is: the three counters of the progress bar."""

    WAIT = "wait", _("Waiting for another import to finish")
    READ = "read", _("Reading rows")
    CHECK = "check", _("Checking rows")
    COMMIT = "commit", _("Saving dealers")
