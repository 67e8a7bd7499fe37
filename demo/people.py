"""The demo's people: portal accounts for the demo IdP's identities and a few invented
colleagues (``demo/data/people.toml``), their memberships, and the README's ``admin``.

People are looked up by fiscal code, memberships by person and community, and only what is
missing is created. The one exception is a demo IdP identity that signed in before the demo
gave it an account: its registration is completed, so that it has the role the demo IdP
announces.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import get_user_model

from cms.access import forget as access_forget
from communities import services as community_services
from communities import spaces
from communities.models import Designation, Membership, WorkingGroupMembership
from demo_idp import identities as demo_identities
from membership.models import Consent, Ente
from membership.registration import current_versions

from .content import load

ADMIN_USERNAME = "admin"
ADMIN_EMAIL = "admin@comunidigitali.example"
ADMIN_PASSWORD = "Demo-Comuni-2026!"  # noqa: S105 - documented demo credential, never reset


class PeopleMixin:
    """The members of ``demo.builder.DemoBuilder``."""

    def members(self, site):
        """Portal accounts for the demo IdP's people (each with the role their identity
        stands for) and a few invented colleagues.

        Memberships go through ``communities.services`` (or the models, for the roles staff
        assign), so that groups and restrictions follow through the usual signals. A person or
        membership that already exists is left as it is: someone who left a community in the
        demo stays out of it.
        """
        versions = current_versions(site=site)
        data = load("people")
        people = []
        for identity in demo_identities.IDENTITIES:
            spec = data["identity_members"].get(identity.key)
            if spec is None:  # the newcomer stays unregistered
                continue
            person = {
                "fiscal_code": identity.fiscal_code,
                "name": identity.name,
                "family_name": identity.family_name,
                "email": identity.email,
                "phone": identity.mobile_phone,
            }
            people.append((self.member_user(person, spec, versions), spec))
        for spec in data["extra_members"]:
            person = {
                "fiscal_code": demo_identities.fiscal_code(
                    spec["family_name"],
                    spec["name"],
                    spec["birth"],
                    spec["sex"],
                    spec["place_code"],
                ),
                "name": spec["name"],
                "family_name": spec["family_name"],
                "email": spec["email"],
                "phone": "",
            }
            people.append((self.member_user(person, spec, versions), spec))

        # Coordinators and support teams first: they verify designations and invite people
        # into working groups.
        managers = {}
        for managers_pass in (True, False):
            for user, spec in people:
                for options in spec["memberships"]:
                    role = options["role"]
                    if (role in Membership.MANAGER_ROLES) != managers_pass:
                        continue
                    community = self.pages[options["community"]]
                    membership = self.community_membership(user, community, role, options, managers)
                    if role == Membership.Role.COORDINATOR and membership is not None:
                        managers[community.translation_key] = membership.user
        for user, spec in people:
            for group in spec["working_groups"]:
                self.working_group_membership(
                    user, self.pages[group["group"]], group["role"], managers
                )

    def ente(self, key):
        spec = load("people")["enti"][key]
        kind, name, istat_code = spec["kind"], spec["name"], spec.get("istat_code")
        values = {
            "kind": kind,
            "name": name,
            "region": spec["region"],
            "province": spec["province"],
            "province_code": spec["province_code"],
            "population": spec.get("population"),
            "status": Ente.Status.APPROVED,
        }
        if istat_code:
            # As load_enti stores it; created here only when the registry was not loaded.
            ente, _created = Ente.objects.get_or_create(istat_code=istat_code, defaults=values)
            if ente.population is None and values["population"] is not None:
                ente.population = values["population"]
                ente.save(update_fields=["population"])
            return ente
        ente = Ente.objects.filter(name=name, kind=kind, istat_code=None).first()
        return ente or Ente.objects.create(**values)

    def member_user(self, person, spec, versions):
        """The member keyed on ``person``'s fiscal code, registered (profile, consents)."""
        user_model = get_user_model()
        user = user_model.objects.filter(fiscal_number=person["fiscal_code"]).first()
        if user is not None and user.onboarded_at is not None:
            return user
        if user is None:
            # As membership.identity.sign_in creates members.
            user = user_model(
                fiscal_number=person["fiscal_code"],
                username=person["fiscal_code"],
                first_name=person["name"],
                last_name=person["family_name"],
                email=person["email"],
            )
            user.set_unusable_password()
            self.created["members"] += 1
        # A new member, or a demo identity that signed in before its role existed: complete
        # the registration as the onboarding form does.
        registered = self.now - timedelta(days=spec["registered_days_ago"])
        user.ente = self.ente(spec["ente"])
        user.office = spec["office"]
        user.position = spec["position"]
        user.contact_email = person["email"]
        user.phone = person["phone"]
        user.show_in_directory = spec.get("show_in_directory", True)
        user.onboarded_at = registered
        user.date_joined = min(user.date_joined, registered)
        user.save()
        for kind in (Consent.Kind.RULES, Consent.Kind.PRIVACY):
            Consent.objects.get_or_create(
                user=user,
                kind=kind,
                version=versions.for_kind(kind),
                defaults={"accepted_at": registered},
            )
        return user

    def community_membership(self, user, community, role, options, managers):
        """``user``'s membership of ``community`` with ``role``, unless they ever had one."""
        existing = Membership.objects.filter(
            user=user, community__translation_key=community.translation_key
        )
        if existing.exists():
            return existing.filter(left_at__isnull=True).first()
        joined = self.now - timedelta(days=options.get("days_ago", 30))
        if role in Membership.MANAGER_ROLES:
            # Assigned by staff in the admin: the model's signals sync the groups.
            membership = Membership.objects.create(
                user=user,
                community=community,
                role=role,
                support_kind=options.get("support_kind", ""),
                joined_at=joined,
            )
        else:
            designation = options.get("designation") or {}
            act_date = None
            if role == Membership.Role.DESIGNATED:
                act_date = self.today - timedelta(days=designation["act_days_ago"])
            membership = community_services.join(
                user,
                community,
                role,
                signed_by=designation.get("signed_by", ""),
                act_date=act_date,
            )
            Membership.objects.filter(pk=membership.pk).update(joined_at=joined)
            Designation.objects.filter(membership=membership).update(declared_at=joined)
            coordinator = managers.get(community.translation_key)
            if designation.get("verified") and coordinator is not None:
                # The coordinator checked the declaration a couple of days later.
                access_forget(coordinator)
                community_services.verify_designation(coordinator, membership.designation)
                Designation.objects.filter(membership=membership).update(
                    verified_at=joined + timedelta(days=2)
                )
        self.created["memberships"] += 1
        return membership

    def working_group_membership(self, user, group, role, managers):
        """Invited by the community's coordinator, accepted; a coordinator is then named."""
        if WorkingGroupMembership.objects.filter(
            user=user, group__translation_key=group.translation_key
        ).exists():
            return
        community = spaces.community_for_page(group)
        coordinator = managers.get(community.translation_key)
        if coordinator is None:
            return
        for person in (coordinator, user):
            access_forget(person)
        community_services.invite(coordinator, user, group)
        community_services.answer_invitation(user, group, accept=True)
        if role == WorkingGroupMembership.Role.COORDINATOR:
            access_forget(coordinator)
            community_services.set_group_coordinator(coordinator, user, group)
        self.created["memberships"] += 1

    # ------------------------------------------------------------------ admin

    def admin_user(self):
        user_model = get_user_model()
        if user_model.objects.filter(username=ADMIN_USERNAME).exists():
            return False
        user_model.objects.create_superuser(ADMIN_USERNAME, ADMIN_EMAIL, ADMIN_PASSWORD)
        return True
