# expect: partial
# mistake: three locks
# why: only looks for two locks taken in both orders (a -> b and b -> a): a cycle through three
# why: locks or more is missed
def lock_order_cycle(traces):
    edges = set()
    for events in traces.values():
        held = []
        for op, lock in events:
            if op == "acquire":
                edges.update((h, lock) for h in held if h != lock)
                held.append(lock)
            else:
                held.remove(lock)
    for a, b in edges:
        if (b, a) in edges:
            return [a, b]
    return None
