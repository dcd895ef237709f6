"""Assign reviewers to proposals: each gets R distinct reviewers, loads balanced within 1.

Pure function, no ORM. The problem is a flow with lower bounds:

    source ─(exactly R − kept)→ proposal ─(≤ 1, if eligible)→ reviewer ─(q − kept … q + 1 − kept)→ sink

where q = ⌊total load / reviewers⌋, so every reviewer ends with q or q + 1 reviews
(max load difference 1). Lower bounds are removed the standard way (a circulation
with a super source and sink) and the result is found with Dinic's max-flow. The
seed shuffles the order in which proposals and reviewers are tried, so a different
seed gives a different (equally valid) assignment and the same seed the same one.
"""

from __future__ import annotations

import random
from collections import deque
from collections.abc import Hashable, Mapping, Sequence


class AssignmentError(ValueError):
    """No assignment satisfies the constraints; the message says why in plain words."""


class _FlowGraph:
    def __init__(self, size: int):
        self.adjacency: list[list[int]] = [[] for _ in range(size)]
        self.to: list[int] = []
        self.capacity: list[int] = []

    def add_edge(self, u: int, v: int, capacity: int) -> int:
        self.adjacency[u].append(len(self.to))
        self.to.append(v)
        self.capacity.append(capacity)
        self.adjacency[v].append(len(self.to))
        self.to.append(u)
        self.capacity.append(0)
        return len(self.to) - 2

    def max_flow(self, source: int, sink: int) -> int:
        flow = 0
        while True:
            level = [-1] * len(self.adjacency)
            level[source] = 0
            queue = deque([source])
            while queue:
                u = queue.popleft()
                for edge in self.adjacency[u]:
                    if self.capacity[edge] > 0 and level[self.to[edge]] < 0:
                        level[self.to[edge]] = level[u] + 1
                        queue.append(self.to[edge])
            if level[sink] < 0:
                return flow
            pointer = [0] * len(self.adjacency)
            while pushed := self._push(source, sink, 1 << 30, level, pointer):
                flow += pushed

    def _push(self, u: int, sink: int, limit: int, level: list[int], pointer: list[int]) -> int:
        # Iterative would be faster; recursion depth is at most 6 here (fixed graph layers).
        if u == sink:
            return limit
        while pointer[u] < len(self.adjacency[u]):
            edge = self.adjacency[u][pointer[u]]
            v = self.to[edge]
            if self.capacity[edge] > 0 and level[v] == level[u] + 1:
                pushed = self._push(v, sink, min(limit, self.capacity[edge]), level, pointer)
                if pushed:
                    self.capacity[edge] -= pushed
                    self.capacity[edge ^ 1] += pushed
                    return pushed
            pointer[u] += 1
        return 0


def assign_reviewers(
    *,
    proposals: Sequence[Hashable],
    reviewers: Sequence[Hashable],
    per_proposal: int,
    excluded: Mapping[Hashable, set] | None = None,
    kept: Mapping[Hashable, set] | None = None,
    seed: int = 0,
) -> dict[Hashable, set]:
    """Return {proposal: set of reviewers}, R per proposal, including the `kept` ones.

    - `excluded[p]`: reviewers who may never review p (conflicts, authors, co-authors);
    - `kept[p]`: reviewers already assigned to p who stay (they count towards R; those
      among `reviewers` count towards their load). Reviewers in `kept` but not in
      `reviewers` (withdrawn after submitting) count towards R only.
    Final loads of `reviewers` (kept + new) differ by at most 1.
    Raises AssignmentError when that is impossible.
    """
    if per_proposal < 1:
        raise AssignmentError("Each proposal needs at least one reviewer.")
    excluded = excluded or {}
    kept = {p: set(kept.get(p, ())) for p in proposals} if kept else {p: set() for p in proposals}
    proposals = list(dict.fromkeys(proposals))
    reviewers = list(dict.fromkeys(reviewers))
    active = set(reviewers)
    needed = {p: max(0, per_proposal - len(kept[p])) for p in proposals}
    if not proposals:
        return {}
    if sum(needed.values()) and not reviewers:
        raise AssignmentError("There are no active reviewers to assign.")
    eligible = {p: [r for r in reviewers if r not in excluded.get(p, ()) and r not in kept[p]] for p in proposals}
    for p in proposals:
        if len(eligible[p]) < needed[p]:
            raise AssignmentError(
                f"Proposal {p} has only {len(eligible[p]) + len(kept[p])} possible reviewers "
                f"(after conflicts and authorship) but needs {per_proposal}."
            )
    kept_load = {r: 0 for r in reviewers}
    for p in proposals:
        for r in kept[p]:
            if r in active:
                kept_load[r] += 1
    total = sum(needed.values()) + sum(kept_load.values())
    low = total // len(reviewers) if reviewers else 0
    for r, load in kept_load.items():
        if load > low + 1:
            raise AssignmentError(f"Reviewer {r} already has {load} reviews; loads cannot be balanced within 1.")

    rng = random.Random(seed)  # noqa: S311 - a reproducible order, not a secret
    order_p = proposals[:]
    order_r = reviewers[:]
    rng.shuffle(order_p)
    rng.shuffle(order_r)

    # Nodes: 0 source, 1 sink, 2 super source, 3 super sink, then proposals, then reviewers.
    source, sink, super_source, super_sink = 0, 1, 2, 3
    p_node = {p: 4 + index for index, p in enumerate(order_p)}
    r_node = {r: 4 + len(order_p) + index for index, r in enumerate(order_r)}
    graph = _FlowGraph(4 + len(order_p) + len(order_r))
    excess = [0] * len(graph.adjacency)

    def bounded_edge(u: int, v: int, lower: int, upper: int) -> None:
        if upper > lower:
            graph.add_edge(u, v, upper - lower)
        excess[v] += lower
        excess[u] -= lower

    pair_edges: list[tuple[int, Hashable, Hashable]] = []
    for p in order_p:
        bounded_edge(source, p_node[p], needed[p], needed[p])
        candidates = eligible[p][:]
        rng.shuffle(candidates)
        pair_edges.extend((graph.add_edge(p_node[p], r_node[r], 1), p, r) for r in candidates)
    for r in order_r:
        bounded_edge(r_node[r], sink, max(0, low - kept_load[r]), low + 1 - kept_load[r])
    graph.add_edge(sink, source, total + 1)
    demand = 0
    for node, value in enumerate(excess):
        if value > 0:
            graph.add_edge(super_source, node, value)
            demand += value
        elif value < 0:
            graph.add_edge(node, super_sink, -value)
    if graph.max_flow(super_source, super_sink) != demand:
        raise AssignmentError(
            "No balanced assignment exists with these conflicts: invite more reviewers or lower the number per proposal."
        )
    result = {p: set(kept[p]) for p in proposals}
    for edge, p, r in pair_edges:
        if graph.capacity[edge] == 0:
            result[p].add(r)
    return result
