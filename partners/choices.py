from django.db import models
from django.utils.translation import gettext_lazy as _

from prm.core.roles import OrgKind, Role

__all__ = ["OrgKind", "Role", "PartnerStatus", "CreditStatus", "Segment", "Capability", "UploadStatus"]


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
    PENDING = "pending", _("Waiting")
    PROCESSING = "processing", _("Importing")
    DONE = "done", _("Done")
    FAILED = "failed", _("Could not be read")
