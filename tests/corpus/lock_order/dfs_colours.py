# expect: full
# The graph as a dict of sets, then a recursive depth-first search with three colours.
def lock_order_cycle(traces):
    graph = {}
    for events in traces.values():
        held = []
        for op, lock in events:
            if op == "acquire":
                for other in held:
                    if other != lock:
                        graph.setdefault(other, set()).add(lock)
                held.append(lock)
            else:
                held.remove(lock)

    colour = {}
    stack = []

    def visit(lock):
        colour[lock] = "grey"
        stack.append(lock)
        for nxt in graph.get(lock, ()):
            if colour.get(nxt) == "grey":
                return stack[stack.index(nxt):]
            if nxt not in colour:
                found = visit(nxt)
                if found:
                    return found
        colour[lock] = "black"
        stack.pop()
        return None

    for lock in list(graph):
        if lock not in colour:
            found = visit(lock)
            if found:
                return list(found)
    return None
