import RandWireArguments
import RandWireProtocol

/// The `randwire` command tree. Its options are the command contract graders script against:
/// add, never rename.
enum CommandTree {
    static let profileNames = Profile.allCases.map(\.rawValue).joined(separator: "|")

    static let profileOptions: [OptionSpec] = [
        OptionSpec(["--profile", "-P"], value: "profile", help: "The profile: \(profileNames)."),
        OptionSpec(["--min"], value: "n", help: "Smallest number (random profiles; default: the profile's)."),
        OptionSpec(["--max"], value: "n", help: "Largest number (random profiles; default: the profile's)."),
        OptionSpec(["--count"], value: "n", help: "Numbers per batch (csv; default 10)."),
        OptionSpec(["--tokens"], value: "even=W,odd=W,too-long=W,error=W", help: "The words a parity or double server answers with (default: even, odd, too-long, error)."),
        OptionSpec(["--too-long"], value: "token|same-length", help: "How a parity server answers more than 10 digits (default: token)."),
    ]

    static let serve = CommandSpec(
        name: "serve", abstract: "Run the reference server for one profile.",
        discussion: "Prints 'randwire: serving PROFILE on HOST:PORT' as its first line, then serves until SIGINT or SIGTERM. A port another server already listens on (randwire or not) is refused: one error line, exit 69.",
        options: profileOptions + [
            OptionSpec(["--host"], value: "host", help: "Address to listen on.", defaultValue: "127.0.0.1"),
            OptionSpec(["--port", "-p"], value: "port", help: "Port to listen on; 0 picks a free one (default: the profile's port)."),
            OptionSpec(["--threads"], value: "n", help: "Event-loop threads (default: one per core)."),
            OptionSpec(["--connection-timeout"], value: "seconds", help: "Close a connection that has not completed its exchange after this long (LIMIT-2).", defaultValue: "5"),
            OptionSpec(["--log"], help: "Log one line per connection to stderr."),
        ])

    static let get = CommandSpec(
        name: "get", abstract: "Query a RandWire server with the reference client.",
        discussion: "With several endpoints, each exchange goes to one picked at random, failing over to the others (seed 003's client). Exit 0 on success, 1 on a malformed answer, 69 when no endpoint can be reached.",
        options: profileOptions + [
            OptionSpec(["--request", "-r"], value: "text", help: "The request to send (request, parity, double; default: the seed client's)."),
            OptionSpec(["--repeat", "-n"], value: "n", help: "Exchanges to perform.", defaultValue: "1"),
            OptionSpec(["--timeout"], value: "seconds", help: "Deadline for each exchange.", defaultValue: "5"),
            OptionSpec(["--terminator"], value: "half-close|lf|none", help: "How the request ends.", defaultValue: "half-close"),
            OptionSpec(["--strict"], help: "Reject a trailing LF or CRLF too (CORE-6)."),
            OptionSpec(["--json"], help: "Print one JSON object per exchange."),
        ],
        positionals: [PositionalSpec("host:port", help: "Server endpoint(s), e.g. 127.0.0.1:65432 or [::1]:9001.", variadic: true)])

    static let checkClient = CommandSpec(
        name: "check-client", abstract: "Judge a client program against scripted server behaviours.",
        discussion: "Runs the client once per check against a harness on 127.0.0.1 that plays one server behaviour from Fixtures/clients/ (a plain answer, an answer in pieces, trailing LF or CRLF, two line endings, an empty, banner, float, out-of-range or over-long answer, a 1 MiB flood, a server that never closes, one that never answers, one that drips an octet every 100 ms, a reset) and judges what the client printed, its exit status and what it sent (Spec section 10.1). {port}, {host} and $PORT in the command are replaced; --port serves a client with a built-in port. Exit codes as for check: 0 CONFORMANT or PASSED, 1 NOT CONFORMANT, 3 INCOMPLETE, 64 usage, 65 a malformed fixture, 69 the client never connected.",
        options: profileOptions + [
            OptionSpec(["--port", "-p"], value: "port", help: "The port a client with a built-in port connects to (default: a free port per check, given as {port} / $PORT). Several, e.g. 9001,9002,9003 (0: a free one, given as {port1}, {port2}, …), add the double profile's failover check (DOUBLE-4)."),
            OptionSpec(["--input"], value: "text", help: "Written to the client's stdin, then stdin is closed (a client that reads its request from the keyboard)."),
            OptionSpec(["--expect-output"], value: "format", help: "How the client prints its answer, e.g. 'Received {answer}' (default: the answer as a whole token anywhere in its output)."),
            OptionSpec(["--request"], value: "text", help: "What a request, parity or double client is asked to send, given to it as {request} in its command (default: the profile's seed request: Example request, 42, 21)."),
            OptionSpec(["--loop"], help: "The client repeats exchanges forever: judge its first exchange, then stop it (its exit status is not judged)."),
            OptionSpec(["--client-timeout"], value: "seconds", help: "The bound of each check: a client still running then fails LIMIT-3.", defaultValue: "10"),
            OptionSpec(["--run-timeout"], value: "seconds", help: "Deadline for the whole run; checks it cuts short are not judged.", defaultValue: "300"),
            OptionSpec(["--strict"], help: "SHOULD checks are required too."),
            OptionSpec(["--only"], value: "id,...", help: "Run only these checks (IDs, client.* globs or requirement IDs).", repeatable: true),
            OptionSpec(["--skip"], value: "id,...", help: "Skip these checks.", repeatable: true),
            OptionSpec(["--known-failures"], value: "file", help: "Check IDs (one per line) that are reported but do not fail the run."),
            OptionSpec(["--fixtures"], value: "dir", help: "Add the client fixtures in this folder to the built-in ones.", repeatable: true),
            OptionSpec(["--format"], value: "human|json|junit|tap|gradescope|html", help: "Report format.", defaultValue: "human"),
            OptionSpec(["--output", "-o"], value: "file", help: "Write the report to a file; a human summary still goes to the terminal."),
            OptionSpec(["--self"], help: "Check the reference client (randwire get) on every profile."),
            OptionSpec(["--list"], help: "List the client checks (for --profile, or all) and exit."),
        ],
        positionals: [PositionalSpec("command", help: "The client program and its arguments (after --).", optional: true, variadic: true)])

    static let check = CommandSpec(
        name: "check", abstract: "Judge a server against the RandWire spec and fixtures.",
        discussion: "Exit 0: CONFORMANT, or PASSED (a narrowed run, or failures excused by --known-failures). 1: a required check failed (--strict: SHOULDs too). 3: INCOMPLETE, some required check was not judged. 64: usage error. 65: a malformed fixture. 69: the target could not be reached, or the --exec server did not start. With --exec CMD the server is started, watched and restarted after each crash, so every check is judged; CMD gets its port as {port} or $PORT, or listens on the fixed <host:port> given.",
        options: profileOptions + [
            OptionSpec(["--strict"], help: "SHOULD checks are required too."),
            OptionSpec(["--timeout"], value: "seconds", help: "Deadline for each answer.", defaultValue: "2"),
            OptionSpec(["--run-timeout"], value: "seconds", help: "Deadline for the whole run.", defaultValue: "60"),
            OptionSpec(["--samples"], value: "n", help: "Values to gather for the randomness checks (default: sized per range, see Spec section 7)."),
            OptionSpec(["--only"], value: "id,...", help: "Run only these checks (IDs, group.* globs or requirement IDs).", repeatable: true),
            OptionSpec(["--skip"], value: "id,...", help: "Skip these checks.", repeatable: true),
            OptionSpec(["--fixtures"], value: "dir", help: "Add the fixtures in this folder to the built-in suite.", repeatable: true),
            OptionSpec(["--known-failures"], value: "file", help: "Check IDs (one per line) that are reported but do not fail the run."),
            OptionSpec(["--format"], value: "human|json|junit|tap|gradescope|html", help: "Report format (html: one self-contained page with timelines and charts).", defaultValue: "human"),
            OptionSpec(["--output", "-o"], value: "file", help: "Write the report to a file; a human summary still goes to the terminal."),
            OptionSpec(["--rubric"], value: "file", help: "Points per check (JSON, see Spec/rubric.schema.json)."),
            OptionSpec(["--seed"], value: "n", help: "Seed for Monte-Carlo p-values.", defaultValue: "1"),
            OptionSpec(["--self"], help: "Start the reference server for every profile in-process and check it."),
            OptionSpec(["--exec"], value: "command", help: "Start the server with this command (run without a shell unless --shell; {port} and $PORT give it a free port), restart it when it dies, and check it."),
            OptionSpec(["--shell"], help: "Run the --exec command through /bin/sh -c."),
            OptionSpec(["--startup-timeout"], value: "seconds", help: "How long the --exec server may take to listen.", defaultValue: "10"),
            OptionSpec(["--restarts"], value: "n", help: "How many times a crashed --exec server is restarted.", defaultValue: "20"),
            OptionSpec(["--sandbox"], value: "auto|bwrap|none", help: "Contain the --exec server as grade contains students (see docs/grading.md).", defaultValue: "auto"),
            OptionSpec(["--list"], help: "List the checks (for --profile, or all) and exit."),
        ],
        positionals: [PositionalSpec("host:port", help: "The server to check (with --exec: the fixed address a command without {port} listens on).", optional: true)])

    static let probe = CommandSpec(
        name: "probe", abstract: "Identify which profile a server speaks, and its range.",
        discussion: "Never sends an empty or malformed request, so fragile servers survive it.",
        options: [
            OptionSpec(["--timeout"], value: "seconds", help: "Deadline for each answer.", defaultValue: "2"),
            OptionSpec(["--json"], help: "Print the result as JSON."),
        ],
        positionals: [PositionalSpec("host:port", help: "The server to probe.")])

    static let bench = CommandSpec(
        name: "bench", abstract: "Load-test a RandWire server and validate every answer.",
        options: profileOptions + [
            OptionSpec(["--connections", "-c"], value: "n", help: "Concurrent connections.", defaultValue: "64"),
            OptionSpec(["--duration", "-d"], value: "seconds", help: "How long to run.", defaultValue: "5"),
            OptionSpec(["--request", "-r"], value: "text", help: "The request to send (request, parity, double)."),
            OptionSpec(["--threads"], value: "n", help: "Load-generator threads (default: min(connections, 4), as loadgen)."),
            OptionSpec(["--json"], help: "Print the result as JSON."),
        ],
        positionals: [PositionalSpec("host:port", help: "The server to load.")])

    static let grade = CommandSpec(
        name: "grade", abstract: "Grade a whole class: one check per roster row, reports and a summary.",
        discussion: "Roster rows are student,profile,host:port or student,profile,command (the command starts the server on $PORT). With --shard K/N a worker grades only its slice of the roster (by a hash of the student's name) and adds shard.json to --out; --merge DIR... then combines every shard's folder into --out as one run of the whole class would have written it (exit 65 when the shards disagree or a student is missing or graded twice). See docs/grading.md.",
        options: [
            OptionSpec(["--roster"], value: "file", help: "CSV roster: student,profile,target[,options] (options like min=1;max=100; see docs/grading.md)."),
            OptionSpec(["--sandbox"], value: "auto|bwrap|none", help: "Contain each student's server: limits, a folder of its own, a scrubbed environment, cgroups and a user id of its own where allowed, and bubblewrap (auto: when installed).", defaultValue: "auto"),
            OptionSpec(["--rubric"], value: "file", help: "Points per check (JSON)."),
            OptionSpec(["--jobs", "-j"], value: "n", help: "Students graded at a time.", defaultValue: "4"),
            OptionSpec(["--out"], value: "dir", help: "Where reports, grades.csv and summary.html go.", defaultValue: "grades"),
            OptionSpec(["--format"], value: "list", help: "Report formats per student, comma-separated: human, json, junit, tap, gradescope, html.", defaultValue: "json"),
            OptionSpec(["--startup-timeout"], value: "seconds", help: "How long a started server has to listen.", defaultValue: "10"),
            OptionSpec(["--shell"], help: "Run roster commands through /bin/sh -c (default: split on spaces, no shell)."),
            OptionSpec(["--strict"], help: "SHOULD checks are required too."),
            OptionSpec(["--timeout"], value: "seconds", help: "Deadline for each answer.", defaultValue: "2"),
            OptionSpec(["--run-timeout"], value: "seconds", help: "Deadline for each student's whole run.", defaultValue: "60"),
            OptionSpec(["--samples"], value: "n", help: "Values to gather for the randomness checks (default: sized per range)."),
            OptionSpec(["--seed"], value: "n", help: "Seed for Monte-Carlo p-values, the same for every student.", defaultValue: "1"),
            OptionSpec(["--shard"], value: "K/N|auto/N", help: "Grade only shard K of N (1-based; auto: K from JOB_COMPLETION_INDEX, 0-based, or CI_NODE_INDEX, 1-based) and write shard.json for --merge."),
            OptionSpec(["--merge"], help: "Merge the --shard output folders given as arguments into --out instead of grading."),
        ],
        positionals: [PositionalSpec("shard-dir", help: "With --merge: the output folder of every shard 1..N.", optional: true, variadic: true)])

    static let completions = CommandSpec(
        name: "completions", abstract: "Print a shell completion script (bash, zsh or fish).",
        discussion: "Generated from the command tree, so it offers exactly the options this randwire accepts. bash: `randwire completions bash > /etc/bash_completion.d/randwire` (or source it from ~/.bashrc); zsh: put the output in a file named _randwire on $fpath; fish: `randwire completions fish > ~/.config/fish/completions/randwire.fish`.",
        positionals: [PositionalSpec("shell", help: "bash, zsh or fish.")])

    static let manual = CommandSpec(
        name: "manual", abstract: "Print the man page (roff), made from the same text as --help.",
        discussion: "`randwire manual > randwire.1 && man -l randwire.1`, or install it as man1/randwire.1.")

    static let root = CommandSpec(
        name: "randwire",
        abstract: "The RandWire protocol: reference server and client, and a conformance runner.",
        discussion: "The spec is Spec/randwire.md. Profiles: bare (seed 000), request (001), csv (002), double (003), parity (004).",
        subcommands: [serve, get, check, checkClient, probe, bench, grade, completions, manual])
}
