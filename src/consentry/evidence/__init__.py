"""Evidence: an append-only, verifiable record of every change (pure core).

RFC 9162 Merkle trees and proofs (:mod:`.merkle`), C2SP signed notes and
checkpoints with Ed25519 (:mod:`.note`, :mod:`.checkpoint`), and canonical
log entries (:mod:`.entry`). Nothing here touches a database or a clock.
"""
