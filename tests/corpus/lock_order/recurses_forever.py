# expect: partial
# mistake: visited before
# why: a depth-first search that stops only when it gets back to the lock it started from: a
# why: cycle it reaches from outside (x -> a -> b -> a) sends it round and round until
# why: Python gives up (RecursionError)
def lock_order_cycle(traces):
    graph = {}
    for events in traces.values():
        held = []
        for op, lock in events:
            if op == "acquire":
                for h in held:
                    if h != lock:
                        graph.setdefault(h, []).append(lock)
                held.append(lock)
            else:
                held.remove(lock)

    def search(lock, start, path):
        for nxt in graph.get(lock, ()):
            if nxt == start:
                return path
            found = search(nxt, start, path + [nxt])
            if found:
                return found
        return None

    for lock in list(graph):
        found = search(lock, lock, [lock])
        if found:
            return found
    return None
