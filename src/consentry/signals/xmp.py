"""Signals in an XMP packet: IPTC/PLUS ``plus:DataMining`` and TDMRep's ``tdm:reservation``.

The packet is found in the file's bytes (JPEG APP1, PNG iTXt, PDF metadata
streams and sidecars all carry it as text between ``<x:xmpmeta`` and
``</x:xmpmeta>``) and parsed with defusedxml (no entity expansion, no DTDs, no external
resources). Both the element and the
attribute form of a property are read. A packet that is not well-formed XML
is recorded as malformed; when it mentions a data-mining property it still
reserves (fail closed).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from consentry.signals.base import Signal
from consentry.signals.crosswalk import ALL_USES, uses_for
from consentry.signals.headers import tdmrep_signal

PLUS = "http://ns.useplus.org/ldf/xmp/1.0/"
PLUS_VOCAB = "http://ns.useplus.org/ldf/vocab/"
TDM_NAMESPACES = ("http://www.w3.org/ns/tdmrep/", "http://www.w3.org/ns/tdmrep#")
RDF_RESOURCE = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}resource"
MAX_PACKET = 4 * 1024 * 1024
_PACKET = re.compile(rb"<x:xmpmeta[\s>].*?</x:xmpmeta>", re.S)


def find_packet(data: bytes) -> bytes | None:
    """The first XMP packet in ``data`` (at most ``MAX_PACKET`` bytes), or None."""
    match = _PACKET.search(data)
    if match is None or len(match.group(0)) > MAX_PACKET:
        return None
    return match.group(0)


def from_xmp(data: bytes, where: str = "xmp") -> list[Signal]:
    """Every data-mining signal in the XMP packet inside ``data``."""
    packet = find_packet(data)
    if packet is None:
        return []
    try:
        root = SafeET.fromstring(packet)
    except (ET.ParseError, DefusedXmlException) as exc:
        if b"DataMining" in packet or b"tdm:reservation" in packet:
            note = f"XMP is not well-formed ({exc}): read as reserved"
            return [Signal("xmp", ALL_USES, where, None, status="malformed", note=note)]
        return []
    return [*_data_mining(root, where), *_tdm(root, where)]


def _values(root: ET.Element, namespace: str, name: str) -> list[str]:
    tag = f"{{{namespace}}}{name}"
    found: list[str] = [el.text or el.get(RDF_RESOURCE) or "" for el in root.iter(tag)]
    found += [el.get(tag) or "" for el in root.iter() if tag in el.attrib]
    return [v.strip() for v in found if v and v.strip()]


def _data_mining(root: ET.Element, where: str) -> list[Signal]:
    signals = []
    for value in _values(root, PLUS, "DataMining"):
        label = value.removeprefix(PLUS_VOCAB)
        uses = uses_for("iptc", label)
        at = f"{where}:plus:DataMining"
        if uses is None:
            note = "not in the PLUS vocabulary: read as reserved"
            signals.append(Signal("iptc", ALL_USES, at, value, status="malformed", note=note))
        elif uses:
            signals.append(Signal("iptc", uses, at, label))
        else:
            signals.append(Signal("iptc", frozenset(), at, label, status="ok"))
    return signals


def _tdm(root: ET.Element, where: str) -> list[Signal]:
    for namespace in TDM_NAMESPACES:
        reservations = _values(root, namespace, "reservation")
        if reservations:
            policies = _values(root, namespace, "policy")
            policy = policies[0] if policies else None
            return [tdmrep_signal(reservations[0], policy, f"{where}:tdm:reservation")]
    return []
