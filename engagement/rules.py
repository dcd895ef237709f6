"""Who may do what with rewards (django-rules predicates).

An agency's admins and managers list its rewards and hand redemptions over; any verified
citizen may spend their points. Site admins may do everything (Django's superuser rule).
"""

import rules

from accounts.rules import is_site_admin, is_verified
from agencies.rules import is_agency_manager

rules.add_perm("engagement.manage_rewards", is_site_admin | is_agency_manager)
rules.add_perm("engagement.redeem_reward", is_verified)
