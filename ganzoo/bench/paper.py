"""The paper's published numbers, shown beside ours and marked "(paper)".

Only numbers transcribed from the InMoDeGAN paper belong here, keyed by table, row and
column. None are transcribed yet: the paper's PDF was not reachable from the machine this
was written on, and a number from memory is worse than none. A cell without a published
number renders as "—".
"""

PUBLISHED = {1: {}, 2: {}, 3: {}}


def published(table_number):
    return PUBLISHED.get(table_number, {})
