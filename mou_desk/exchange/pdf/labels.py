"""Headings and labels of the PDF reports, in English and in Hindi.

Only the report's own words are translated; the data (titles, names, sectors, notes) stays
as the clerk entered it. Stage and status names are the application's vocabulary, so they
are translated too. Each language is one flat dict; :func:`labels_for` checks that both
have the same keys, so a label missing in Hindi fails the tests rather than a report.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

Lang = Literal["en", "hi"]
LANGS: tuple[Lang, ...] = ("en", "hi")

DEPARTMENT_EN = (
    "Invest UP — Department of Infrastructure and Industrial Development, "
    "Government of Uttar Pradesh"
)

EN: dict[str, str] = {
    # document
    "department": DEPARTMENT_EN,
    "app": "MoU Desk",
    "title.portfolio": "MoU status report",
    "title.dossier": "MoU dossier",
    "title.trip": "Trip report",
    "as_of": "As of {date}",
    "generated_on": "Generated on {when}",
    "page": "Page {page} / {pages}",
    "confidential": "Confidential — for official use only",
    "filters": "Filters",
    "filters.none": "All MoUs (no filter)",
    "none": "—",
    "more": "… and {count} more",
    # figures
    "key_figures": "Key figures",
    "mous": "MoUs",
    "mou_count": "{count} MoUs",
    "mou_count_one": "{count} MoU",
    "crore_col": "₹ crore",
    "investment_crore": "Investment (₹ crore)",
    "proposed_investment": "Proposed investment",
    "realised_investment": "Realised investment",
    "proposed_jobs": "Proposed jobs",
    "realised_jobs": "Realised jobs",
    "share": "Share",
    "total": "Total",
    "overdue_followups_count": "Overdue follow-ups",
    "stale_mous": "Stale MoUs",
    "overdue_actions": "Overdue next actions",
    "by_stage": "MoUs and investment by stage",
    "by_status": "By status",
    "funnel": "Stage funnel",
    "by_sector": "Proposed investment by sector (₹ crore)",
    "by_district": "Proposed investment by district (₹ crore)",
    "by_region": "Proposed investment by region (₹ crore)",
    "others": "Others ({count})",
    "not_set": "(not set)",
    # the MoU table
    "mous_by_stage": "MoUs by stage",
    "stage_heading": "{stage} — {mous}, {amount}",
    "col.ref": "Ref",
    "col.title": "Title",
    "col.partner": "Partner",
    "col.sector": "Sector",
    "col.district": "District",
    "col.days": "Days in stage",
    "col.crore": "₹ crore",
    "col.next_action": "Next action",
    "col.due": "Due",
    "legend": (
        "Marked rows: red — next action overdue (due date in bold); "
        "amber — stale, no activity for longer than the stage allows (days marked *)."
    ),
    "no_mous": "No MoU matches the filters.",
    "overdue_followups": "Overdue follow-ups",
    "no_overdue": "No follow-up is overdue.",
    "col.days_overdue": "Days overdue",
    "col.followup": "Follow-up",
    "col.mou": "MoU",
    "col.owner": "Owner",
    # stages and statuses
    "stage": "Stage",
    "stage.discussion": "Discussion",
    "stage.proposal": "Proposal",
    "stage.signing": "Signing",
    "stage.investment": "Investment",
    "status": "Status",
    "status.active": "Active",
    "status.on hold": "On hold",
    "status.dropped": "Dropped",
    "status.completed": "Completed",
    "sector": "Sector",
    # dossier
    "details": "Details",
    "partners_contacts": "Partners and contacts",
    "lead_partner": "Lead partner",
    "other_partner": "Partner",
    "contacts": "Contacts",
    "no_contacts": "No contacts recorded.",
    "stage_history": "Stage history",
    "meetings": "Meetings",
    "no_meetings": "No meetings recorded.",
    "followups": "Follow-ups",
    "no_followups": "No follow-ups recorded.",
    "attachments": "Attachments",
    "no_attachments": "No files attached.",
    "recent_changes": "Recent changes",
    "no_changes": "No changes recorded.",
    "col.date": "Date",
    "col.change": "Change",
    "col.reason": "Reason",
    "col.by": "By",
    "col.field": "Field",
    "col.old": "Was",
    "col.new": "Now",
    "col.when": "When",
    "col.file": "File",
    "col.size": "Size",
    "col.description": "Description",
    "col.done": "Done",
    "open": "open",
    "created": "Created",
    "kind.company": "company",
    "kind.industry association": "industry association",
    "kind.government body": "government body",
    "kind.research institute": "research institute",
    "kind.university": "university",
    "kind.network": "network",
    "priority.high": "High",
    "priority.medium": "Medium",
    "priority.low": "Low",
    "recorded": "Recorded at {stage}",
    "moved": "{old} → {new}",
    "status_change": "Status: {old} → {new}",
    "field.ref": "Reference",
    "field.title": "Title",
    "field.doc_type": "Document",
    "field.stage": "Stage",
    "field.status": "Status",
    "field.stage_since": "In stage since",
    "field.days_in_stage": "Days in stage",
    "field.sector": "Sector",
    "field.district": "District",
    "field.region": "Region",
    "field.policy": "Incentive policy",
    "field.priority": "Priority",
    "field.nodal_officer": "Nodal officer",
    "field.amount": "Amount as entered",
    "field.rate": "Rate to INR",
    "field.proposed_inr": "Proposed investment",
    "field.proposed_jobs": "Proposed jobs",
    "field.realised_inr": "Realised investment",
    "field.realised_jobs": "Realised jobs",
    "field.signed_on_ours": "Signed (our side)",
    "field.signed_on_partner": "Signed (partner)",
    "field.valid_until": "Valid until",
    "field.land_allotted_on": "Land allotted",
    "field.ground_breaking_on": "Ground breaking",
    "field.commercial_production_on": "Commercial production",
    "field.next_action": "Next action",
    "field.next_action_due": "Next action due",
    "field.last_activity_on": "Last activity",
    "field.tags": "Tags",
    "field.lead_partner": "Lead partner",
    "field.partner_ids": "Other partners",
    "field.currency": "Currency",
    "field.rate_to_inr": "Rate to INR",
    "field.rate_date": "Rate date",
    "field.notes": "Notes",
    "rate_on": "{rate} on {date}",
    "stale_flag": "stale",
    "overdue_flag": "overdue",
    # trip
    "trip_dates": "{start} to {end}",
    "country": "Country",
    "trip_summary": "{meetings} meetings · {partners} partners · {mous} MoUs touched",
    "col.place": "Place",
    "col.meeting": "Meeting",
    "col.met": "Who met whom",
    "our_side": "Our side",
    "their_side": "Partners",
    "discussed": "Discussed",
    "mous_touched": "MoUs touched",
    "followups_created": "Follow-ups created",
    "no_mous_touched": "No MoU was discussed.",
    "no_followups_created": "No follow-up was created from these meetings.",
    "notes": "Notes",
}

HI: dict[str, str] = {
    "department": ("इन्वेस्ट यूपी — अवस्थापना एवं औद्योगिक विकास विभाग, उत्तर प्रदेश शासन"),
    "app": "MoU Desk",
    "title.portfolio": "समझौता ज्ञापन स्थिति रिपोर्ट",
    "title.dossier": "समझौता ज्ञापन — पूर्ण विवरण",
    "title.trip": "प्रतिनिधिमंडल यात्रा रिपोर्ट",
    "as_of": "{date} की स्थिति",
    "generated_on": "तैयार: {when}",
    "page": "पृष्ठ {page} / {pages}",
    "confidential": "गोपनीय — केवल शासकीय उपयोग हेतु",
    "filters": "चयन",
    "filters.none": "सभी समझौता ज्ञापन (कोई चयन नहीं)",
    "none": "—",
    "more": "… और {count}",
    "key_figures": "मुख्य आँकड़े",
    "mous": "समझौता ज्ञापन",
    "mou_count": "{count} समझौता ज्ञापन",
    "mou_count_one": "{count} समझौता ज्ञापन",
    "crore_col": "₹ करोड़",
    "investment_crore": "निवेश (₹ करोड़)",
    "proposed_investment": "प्रस्तावित निवेश",
    "realised_investment": "वास्तविक निवेश",
    "proposed_jobs": "प्रस्तावित रोज़गार",
    "realised_jobs": "सृजित रोज़गार",
    "share": "अंश",
    "total": "कुल",
    "overdue_followups_count": "विलंबित अनुवर्ती कार्य",
    "stale_mous": "निष्क्रिय समझौता ज्ञापन",
    "overdue_actions": "विलंबित अगली कार्यवाही",
    "by_stage": "चरणवार समझौता ज्ञापन एवं निवेश",
    "by_status": "स्थितिवार",
    "funnel": "चरणवार प्रगति",
    "by_sector": "सेक्टरवार प्रस्तावित निवेश (₹ करोड़)",
    "by_district": "ज़िलेवार प्रस्तावित निवेश (₹ करोड़)",
    "by_region": "क्षेत्रवार प्रस्तावित निवेश (₹ करोड़)",
    "others": "अन्य ({count})",
    "not_set": "(दर्ज नहीं)",
    "mous_by_stage": "चरणवार समझौता ज्ञापन",
    "stage_heading": "{stage} — {mous}, {amount}",
    "col.ref": "संदर्भ",
    "col.title": "शीर्षक",
    "col.partner": "साझेदार",
    "col.sector": "सेक्टर",
    "col.district": "ज़िला",
    "col.days": "चरण में दिन",
    "col.crore": "₹ करोड़",
    "col.next_action": "अगली कार्यवाही",
    "col.due": "नियत तिथि",
    "legend": (
        "चिह्नित पंक्तियाँ: लाल — अगली कार्यवाही विलंबित (नियत तिथि मोटे अक्षरों में); "
        "पीली — निष्क्रिय, चरण की सीमा से अधिक समय से कोई गतिविधि नहीं (दिन पर *)।"
    ),
    "no_mous": "चयन से मेल खाता कोई समझौता ज्ञापन नहीं है।",
    "overdue_followups": "विलंबित अनुवर्ती कार्य",
    "no_overdue": "कोई अनुवर्ती कार्य विलंबित नहीं है।",
    "col.days_overdue": "विलंब (दिन)",
    "col.followup": "अनुवर्ती कार्य",
    "col.mou": "समझौता ज्ञापन",
    "col.owner": "उत्तरदायी",
    "stage": "चरण",
    "stage.discussion": "चर्चा",
    "stage.proposal": "प्रस्ताव",
    "stage.signing": "हस्ताक्षर",
    "stage.investment": "निवेश",
    "status": "स्थिति",
    "status.active": "सक्रिय",
    "status.on hold": "स्थगित",
    "status.dropped": "निरस्त",
    "status.completed": "पूर्ण",
    "sector": "सेक्टर",
    "details": "विवरण",
    "partners_contacts": "साझेदार एवं संपर्क",
    "lead_partner": "प्रमुख साझेदार",
    "other_partner": "साझेदार",
    "contacts": "संपर्क",
    "no_contacts": "कोई संपर्क दर्ज नहीं है।",
    "stage_history": "चरण इतिहास",
    "meetings": "बैठकें",
    "no_meetings": "कोई बैठक दर्ज नहीं है।",
    "followups": "अनुवर्ती कार्य",
    "no_followups": "कोई अनुवर्ती कार्य दर्ज नहीं है।",
    "attachments": "संलग्नक",
    "no_attachments": "कोई फ़ाइल संलग्न नहीं है।",
    "recent_changes": "हाल के परिवर्तन",
    "no_changes": "कोई परिवर्तन दर्ज नहीं है।",
    "col.date": "दिनांक",
    "col.change": "परिवर्तन",
    "col.reason": "कारण",
    "col.by": "द्वारा",
    "col.field": "फ़ील्ड",
    "col.old": "पहले",
    "col.new": "अब",
    "col.when": "कब",
    "col.file": "फ़ाइल",
    "col.size": "आकार",
    "col.description": "विवरण",
    "col.done": "पूर्ण",
    "open": "लंबित",
    "created": "दर्ज किया गया",
    "kind.company": "कंपनी",
    "kind.industry association": "उद्योग संघ",
    "kind.government body": "सरकारी संस्था",
    "kind.research institute": "अनुसंधान संस्थान",
    "kind.university": "विश्वविद्यालय",
    "kind.network": "नेटवर्क",
    "priority.high": "उच्च",
    "priority.medium": "मध्यम",
    "priority.low": "निम्न",
    "recorded": "{stage} चरण में दर्ज",
    "moved": "{old} → {new}",
    "status_change": "स्थिति: {old} → {new}",
    "field.ref": "संदर्भ संख्या",
    "field.title": "शीर्षक",
    "field.doc_type": "दस्तावेज़",
    "field.stage": "चरण",
    "field.status": "स्थिति",
    "field.stage_since": "चरण में कब से",
    "field.days_in_stage": "चरण में दिन",
    "field.sector": "सेक्टर",
    "field.district": "ज़िला",
    "field.region": "क्षेत्र",
    "field.policy": "प्रोत्साहन नीति",
    "field.priority": "प्राथमिकता",
    "field.nodal_officer": "नोडल अधिकारी",
    "field.amount": "दर्ज राशि",
    "field.rate": "INR विनिमय दर",
    "field.proposed_inr": "प्रस्तावित निवेश",
    "field.proposed_jobs": "प्रस्तावित रोज़गार",
    "field.realised_inr": "वास्तविक निवेश",
    "field.realised_jobs": "सृजित रोज़गार",
    "field.signed_on_ours": "हस्ताक्षर (हमारी ओर से)",
    "field.signed_on_partner": "हस्ताक्षर (साझेदार)",
    "field.valid_until": "वैधता तिथि",
    "field.land_allotted_on": "भूमि आवंटन",
    "field.ground_breaking_on": "भूमि पूजन",
    "field.commercial_production_on": "व्यावसायिक उत्पादन",
    "field.next_action": "अगली कार्यवाही",
    "field.next_action_due": "अगली कार्यवाही की तिथि",
    "field.last_activity_on": "अंतिम गतिविधि",
    "field.tags": "टैग",
    "field.lead_partner": "प्रमुख साझेदार",
    "field.partner_ids": "अन्य साझेदार",
    "field.currency": "मुद्रा",
    "field.rate_to_inr": "INR विनिमय दर",
    "field.rate_date": "विनिमय दर की तिथि",
    "field.notes": "टिप्पणी",
    "rate_on": "{date} को {rate}",
    "stale_flag": "निष्क्रिय",
    "overdue_flag": "विलंबित",
    "trip_dates": "{start} से {end}",
    "country": "देश",
    "trip_summary": "{meetings} बैठकें · {partners} साझेदार · {mous} समझौता ज्ञापन",
    "col.place": "स्थान",
    "col.meeting": "बैठक",
    "col.met": "कौन किससे मिले",
    "our_side": "हमारी ओर से",
    "their_side": "साझेदार पक्ष",
    "discussed": "चर्चा के बिंदु",
    "mous_touched": "संबंधित समझौता ज्ञापन",
    "followups_created": "बैठकों से बने अनुवर्ती कार्य",
    "no_mous_touched": "किसी समझौता ज्ञापन पर चर्चा नहीं हुई।",
    "no_followups_created": "इन बैठकों से कोई अनुवर्ती कार्य नहीं बना।",
    "notes": "टिप्पणी",
}

_ALL: Mapping[str, Mapping[str, str]] = {"en": EN, "hi": HI}


class Labels:
    """The labels of one language: ``labels["key"]`` or ``labels("key", count=3)``."""

    def __init__(self, lang: Lang) -> None:
        if lang not in _ALL:
            raise ValueError(f"no labels for language {lang!r}")
        self.lang: Lang = lang
        self._table = _ALL[lang]

    def __getitem__(self, key: str) -> str:
        return self._table[key]

    def __call__(self, key: str, **values: object) -> str:
        return self._table[key].format(**values)

    def get(self, key: str, default: str) -> str:
        return self._table.get(key, default)

    def mous(self, count: int, shown: str) -> str:
        """ "1 MoU", "12 MoUs" (``shown`` is the count as printed, e.g. "1,234")."""
        return self("mou_count_one" if count == 1 else "mou_count", count=shown)

    def stage(self, stage: str) -> str:
        return self._table.get(f"stage.{stage}", stage)

    def status(self, status: str) -> str:
        return self._table.get(f"status.{status}", status)


def labels_for(lang: Lang) -> Labels:
    return Labels(lang)


def missing_keys() -> dict[str, set[str]]:
    """Keys one language has and another lacks (empty when the tables agree)."""
    keys = set().union(*(t.keys() for t in _ALL.values()))
    return {lang: keys - set(table) for lang, table in _ALL.items() if keys - set(table)}
