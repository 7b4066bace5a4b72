# expect: full
# Depth-first search with three colours, recursive: grey threads are on the current path.
WHITE, GREY, BLACK = 0, 1, 2


def find_deadlock(holds, waits):
    colour = {}
    path = []

    def holder_awaited_by(thread):
        lock = waits.get(thread, None) if thread in waits else None
        if thread in waits and lock in holds:
            return True, holds[lock]
        return False, None

    def visit(thread):
        colour[thread] = GREY
        path.append(thread)
        waiting, nxt = holder_awaited_by(thread)
        if waiting:
            if colour.get(nxt, WHITE) == GREY:
                return path[path.index(nxt):]
            if colour.get(nxt, WHITE) == WHITE:
                found = visit(nxt)
                if found is not None:
                    return found
        colour[thread] = BLACK
        path.pop()
        return None

    for thread in waits:
        if colour.get(thread, WHITE) == WHITE:
            found = visit(thread)
            if found is not None:
                return list(found)
    return None
