# expect: zero
# why: returns the cycle with its first lock repeated at the end ([a, b, a]), and [] when there
# why: is none: the contract asks for [a, b] (each lock once) and None
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

    def visit(lock, path, done):
        if lock in path:
            return path[path.index(lock):] + [lock]
        if lock in done:
            return None
        for nxt in graph.get(lock, ()):
            found = visit(nxt, path + [lock], done)
            if found:
                return found
        done.add(lock)
        return None

    done = set()
    for lock in list(graph):
        found = visit(lock, [], done)
        if found:
            return found
    return []
