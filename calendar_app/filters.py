"""The publishing calendar's filters: network, account, status, owner, tag and pillar, read from the address.

The calendar, its feed, the list below it and the CSV export read the same filters from the same query string
(`network`, `account`, `status`, `owner`, `tag`, `pillar`), so a filtered calendar is a link that can be kept or
sent. A value the workspace does not have (another workspace's account or tag, a removed status) selects nothing:
every read is of the workspace's own publications first.
"""

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import QueryDict

from common.filters import AddressFilters
from metrics.platforms import Platform

from .models import Publication

PILLAR_MAX = 80  # ContentItem.pillar's length


def _id(value: str) -> int | None:
    return int(value) if value.isdigit() and len(value) < 12 else None


@dataclass(frozen=True)
class PublicationFilters(AddressFilters):
    network: str = ""
    account: int | None = None  # a TrackedProfile id
    status: str = ""
    owner: int | None = None  # a User id
    tag: int | None = None  # a PublicationTag id
    pillar: str = ""  # the content item's pillar or theme, any case

    @classmethod
    def from_query(cls, query: QueryDict) -> "PublicationFilters":
        network, status = query.get("network", ""), query.get("status", "")
        return cls(
            network=network if network in Platform.values else "",
            account=_id(query.get("account", "")),
            status=status if status in Publication.Status.values else "",
            owner=_id(query.get("owner", "")),
            tag=_id(query.get("tag", "")),
            pillar=query.get("pillar", "").strip()[:PILLAR_MAX],
        )

    def apply(self, publications: QuerySet) -> QuerySet:
        if self.network:
            publications = publications.filter(profile__platform=self.network)
        if self.account:
            publications = publications.filter(profile_id=self.account)
        if self.status:
            publications = publications.filter(status=self.status)
        if self.owner:
            publications = publications.filter(owner_id=self.owner)
        if self.tag:  # one row of the tags' table per post and tag: no duplicates to remove
            publications = publications.filter(tags=self.tag)
        if self.pillar:
            publications = publications.filter(content_item__pillar__iexact=self.pillar)
        return publications
