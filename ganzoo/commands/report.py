"""`ganzoo report RESULTS_DIR`: the results page of every table ``ganzoo bench --table N`` rendered there."""


def add_parser(subparsers):
    p = subparsers.add_parser(
        "report", help="write the HTML results page of each rendered bench table",
        description="For each table that 'ganzoo bench --table N --results DIR' rendered into DIR, write "
                    "DIR/tableN-PRESET.html: one self-contained page (images inlined) with the table beside the "
                    "paper's figures, its plots, and per cell an animated GIF of the final model's samples, "
                    "so the columns (3D vs TPD) can be compared by eye. 'ganzoo bench --table N' writes it too.")
    p.add_argument("results", metavar="RESULTS_DIR", help="a ganzoo bench --results directory")
    p.add_argument("--table", type=int, choices=(1, 2, 3, 4, 5), help="only this table (default: every one found)")
    p.add_argument("--samples", type=int, default=4, help="videos per cell's GIF (default 4)")
    p.add_argument("--seed", type=int, default=0, help="latent seed of the samples (default 0, as bench)")
    p.add_argument("--device", default="cpu")
    p.set_defaults(func=run)
    return p


def run(args):
    from ganzoo.bench.report import find_tables, write_page
    from ganzoo.errors import GanzooError

    if args.samples < 1:
        raise GanzooError(f"--samples must be >= 1, got {args.samples}")
    for table in find_tables(args.results, args.table):
        print(f"written: {write_page(table, samples=args.samples, seed=args.seed, device=args.device)}")
    return 0
