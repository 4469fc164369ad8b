"""schema.org JSON-LD for programme pages: a Course with a CourseInstance per cohort."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.safestring import SafeString, mark_safe

from .models import Cohort, CostType, DeliveryFormat, Programme

COURSE_MODE = {
    DeliveryFormat.ONLINE: "Online",
    DeliveryFormat.FACE_TO_FACE: "Onsite",
    DeliveryFormat.BLENDED: "Blended",
    DeliveryFormat.RESIDENTIAL: "Onsite",
}

EVENT_CANCELLED = "https://schema.org/EventCancelled"

# Inside <script>, "</script>" or "<!--" in a title must not end the element.
_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def programme_json_ld(
    *, programme: Programme, cohorts: Iterable[Cohort], page_url: str
) -> SafeString:
    providers = [
        {"@type": "Organization", "name": p.name, **({"url": p.website} if p.website else {})}
        for p in programme.providers.all()
    ]
    offer: dict[str, Any] = {"@type": "Offer", "category": "Paid", "priceCurrency": "GBP"}
    if programme.cost_type == CostType.FUNDED:
        offer.update(category="Free", price=0)
    elif programme.cost_amount is not None:
        offer["price"] = str(programme.cost_amount)
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Course",
        "name": programme.title,
        "description": programme.summary,
        "url": page_url,
        "provider": providers[0] if len(providers) == 1 else providers,
        "offers": [offer],
        "audience": {"@type": "Audience", "audienceType": programme.get_audience_display()},
        "hasCourseInstance": [
            {
                "@type": "CourseInstance",
                "name": cohort.name,
                "courseMode": COURSE_MODE[DeliveryFormat(cohort.delivery_mode)],
                "startDate": cohort.starts_on,
                "endDate": cohort.ends_on,
                "maximumAttendeeCapacity": cohort.capacity,
                **({"location": cohort.venue} if cohort.venue else {}),
                **({"eventStatus": EVENT_CANCELLED} if cohort.is_cancelled else {}),
            }
            for cohort in cohorts
        ],
    }
    if programme.accreditation:
        data["educationalCredentialAwarded"] = programme.accreditation
    if programme.funder:
        data["funder"] = {"@type": "Organization", "name": programme.funder.name}
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    return mark_safe(text.translate(_SCRIPT_ESCAPES))  # noqa: S308 - escaped for <script> above
