# expect: full
# Kahn's algorithm: remove locks with no incoming edge until none is left. If some remain,
# they hold a cycle: walk backwards along incoming edges (every remaining lock has one) until
# a lock repeats.
from collections import Counter, defaultdict


def lock_order_cycle(traces):
    edges = set()
    for events in traces.values():
        held = Counter()
        for op, lock in events:
            if op == "acquire":
                edges.update((h, lock) for h in held if h != lock)
                held[lock] += 1
            else:
                held[lock] -= 1
                if held[lock] == 0:
                    del held[lock]
    succ, pred = defaultdict(set), defaultdict(set)
    for a, b in edges:
        succ[a].add(b)
        pred[b].add(a)
    nodes = set(succ) | set(pred)
    indegree = {n: len(pred[n]) for n in nodes}
    ready = [n for n in nodes if indegree[n] == 0]
    while ready:
        n = ready.pop()
        for m in succ[n]:
            indegree[m] -= 1
            if indegree[m] == 0:
                ready.append(m)
    left = {n for n in nodes if indegree[n] > 0}
    if not left:
        return None
    walk = [next(iter(left))]
    while True:
        back = next(p for p in pred[walk[-1]] if p in left)
        if back in walk:
            cycle = walk[walk.index(back):]
            return cycle[::-1]  # the walk went against the edges
        walk.append(back)
