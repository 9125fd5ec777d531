"""The tier program (tiers.py) and the points ledger (ledger.py)."""

from rewards.models.ledger import *  # noqa: F403
from rewards.models.tiers import PartnerTier, Tier, TierChange, TierProgram, TierRun

__all__ = ["PartnerTier", "Tier", "TierChange", "TierProgram", "TierRun"]
