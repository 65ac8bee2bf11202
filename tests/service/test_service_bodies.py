"""Request bodies as properties: terms from JSON are either refused clearly or round-trip."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from consentry.domain import Use
from consentry.errors import InvalidInput
from consentry.licensing.terms import terms_from_dict, terms_to_dict
from consentry.service.api.bodies_more import TermsIn

NOW = datetime(2026, 11, 25, tzinfo=UTC)
times = st.one_of(
    st.none(),
    st.integers(-1000, 1000).map(lambda d: NOW + timedelta(days=d)),
)


@given(
    uses=st.lists(st.sampled_from(list(Use)), min_size=1, max_size=4),
    starts=times,
    ends=times,
    models=st.lists(st.text(min_size=1, max_size=8), max_size=3),
    purpose=st.text(max_size=40),
)
def test_terms_are_refused_when_unsound_and_round_trip_otherwise(
    uses: list[Use],
    starts: datetime | None,
    ends: datetime | None,
    models: list[str],
    purpose: str,
) -> None:
    body = TermsIn(uses=uses, starts_at=starts, ends_at=ends, models=models, purpose=purpose)
    start = starts or NOW
    try:
        terms = body.terms(NOW)
    except InvalidInput:
        assert ends is not None and ends <= start  # the only way these terms are unsound
        return
    assert terms.starts_at == start and terms.uses == frozenset(uses)
    assert terms_from_dict(terms_to_dict(terms)) == terms
