"""Writes to the resource library, from the console: create, edit, publish, retire.

Each service locks the resource row, re-checks what it needs on the locked row and
saves only what changed. django-auditlog records every save with the values before
and after; `acting_as(by)` names the person whoever calls.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from applications.uploads import EXTENSIONS
from portal.audit import acting_as
from programmes.models import Programme

from .errors import (
    ALREADY_RETIRED,
    LINK_OR_FILE,
    NOT_BOTH,
    STALE_RESOURCE,
    CannotPublish,
    FileRefused,
    StaleResource,
)
from .models import Resource, ResourceStatus, topics_to_text
from .uploads import resource_file_check

EDITABLE_FIELDS: tuple[str, ...] = ("title", "summary", "kind", "audience", "link", "visibility")


def _lock(resource: Resource) -> Resource:
    return Resource.objects.select_for_update().get(pk=resource.pk)


def _store_file(resource: Resource, upload: UploadedFile) -> None:
    content_type = resource_file_check(upload=upload)
    resource.original_name = (upload.name or "resource")[-200:]
    resource.content_type = content_type
    resource.size = upload.size or 0
    # A random name on disk: the uploader's file name is kept only as text.
    resource.file.save(f"{uuid.uuid4().hex}{EXTENSIONS[content_type]}", upload, save=False)


def _programme_set(programme: Programme, also: Iterable[Programme]) -> set[int]:
    return {programme.pk, *(p.pk for p in also)}


def resource_create(
    *,
    programme: Programme,
    data: Mapping[str, Any],
    topics: Iterable[str] = (),
    also_programmes: Iterable[Programme] = (),
    upload: UploadedFile | None = None,
    by: User,
) -> Resource:
    """A new draft resource looked after by `programme`, listed under it and `also_programmes`.

    It needs a web link or a file, not both (FileRefused says why a file was refused).
    """
    link = data.get("link", "")
    if not link and upload is None:
        raise FileRefused(LINK_OR_FILE)
    if link and upload is not None:
        raise FileRefused(NOT_BOTH)
    resource = Resource(programme=programme, topics=topics_to_text(tuple(topics)))
    for name in EDITABLE_FIELDS:
        if name in data:
            setattr(resource, name, data[name])
    if upload is not None:
        _store_file(resource, upload)
    try:
        with transaction.atomic(), acting_as(by):
            resource.save()
            resource.programmes.set(_programme_set(programme, also_programmes))
    except Exception:
        if resource.file:
            resource.file.storage.delete(resource.file.name)
        raise
    return resource


def resource_update(
    *,
    resource: Resource,
    data: Mapping[str, Any],
    topics: Iterable[str] | None = None,
    also_programmes: Iterable[Programme] | None = None,
    upload: UploadedFile | None = None,
    seen_updated_at: dt.datetime | None = None,
    by: User,
) -> Resource:
    """Change the resource's details; a new upload replaces its file (or its link).

    `seen_updated_at` is the row's `updated_at` when the form was opened: if it has
    changed since, nothing is saved and StaleResource is raised.
    """
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable here: {sorted(unknown)}")
    old_file = ""
    with transaction.atomic(), acting_as(by):
        locked = _lock(resource)
        if seen_updated_at is not None and locked.updated_at != seen_updated_at:
            raise StaleResource(STALE_RESOURCE)
        changed = [name for name, value in data.items() if getattr(locked, name) != value]
        for name in changed:
            setattr(locked, name, data[name])
        if topics is not None:
            text = topics_to_text(tuple(topics))
            if text != locked.topics:
                locked.topics = text
                changed.append("topics")
        if upload is not None:
            if data.get("link"):
                raise FileRefused(NOT_BOTH)
            old_file = locked.file.name
            _store_file(locked, upload)
            locked.link = ""
            changed += ["file", "original_name", "content_type", "size", "link"]
        elif locked.link and locked.file:
            # A link was given for a resource that had a file: the link replaces it.
            old_file = locked.file.name
            locked.file = ""
            locked.original_name, locked.content_type, locked.size = "", "", 0
            changed += ["file", "original_name", "content_type", "size"]
        elif not locked.link and not locked.file:
            raise FileRefused(LINK_OR_FILE)
        wanted = (
            _programme_set(locked.programme, also_programmes)
            if also_programmes is not None
            else None
        )
        programmes_changed = wanted is not None and wanted != set(
            locked.programmes.values_list("pk", flat=True)
        )
        if changed or programmes_changed:
            locked.save(update_fields=[*dict.fromkeys(changed), "updated_at"])
        if programmes_changed:
            locked.programmes.set(wanted or ())
    if old_file:
        transaction.on_commit(lambda: resource.file.storage.delete(old_file))
    return locked


def resource_publish(*, resource: Resource, by: User) -> Resource:
    """Publish a draft. The first publication sets its published date; publishing again
    changes nothing. A retired resource goes back to draft first (resource_unretire)."""
    with transaction.atomic(), acting_as(by):
        locked = _lock(resource)
        if locked.status == ResourceStatus.PUBLISHED:
            return locked
        if locked.status == ResourceStatus.RETIRED:
            raise CannotPublish(ALREADY_RETIRED)
        locked.status = ResourceStatus.PUBLISHED
        fields = ["status", "updated_at"]
        if locked.published_on is None:
            locked.published_on = timezone.localdate()
            fields.append("published_on")
        locked.save(update_fields=fields)
    return locked


def resource_retire(*, resource: Resource, by: User) -> Resource:
    """Take a resource out of the library: gone from the lists, its page and its file."""
    with transaction.atomic(), acting_as(by):
        locked = _lock(resource)
        if locked.status == ResourceStatus.RETIRED:
            return locked
        locked.status = ResourceStatus.RETIRED
        locked.save(update_fields=["status", "updated_at"])
    return locked


def resource_unretire(*, resource: Resource, by: User) -> Resource:
    """Bring a retired resource back as a draft, to be checked and published again."""
    with transaction.atomic(), acting_as(by):
        locked = _lock(resource)
        if locked.status != ResourceStatus.RETIRED:
            return locked
        locked.status = ResourceStatus.DRAFT
        locked.save(update_fields=["status", "updated_at"])
    return locked
