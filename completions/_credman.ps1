
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'credman' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'credman'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'credman' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The database file [default: <data dir>/credman/credman.db]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print exactly one JSON document on stdout, and nothing else')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Create the database if it does not exist, and print its path')
            [CompletionResult]::new('user', 'user', [CompletionResultType]::ParameterValue, 'Create, list, change, lock and delete users')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check a user''s password; exit 0 if it is valid, 1 if not')
            [CompletionResult]::new('session', 'session', [CompletionResultType]::ParameterValue, 'Log users in, see their sessions, rotate, revoke and prune them')
            [CompletionResult]::new('who', 'who', [CompletionResultType]::ParameterValue, 'Who is logged in: one row per user with active sessions')
            [CompletionResult]::new('hash', 'hash', [CompletionResultType]::ParameterValue, 'Make, check and identify password hashes; calibrate argon2id for this machine')
            [CompletionResult]::new('audit', 'audit', [CompletionResultType]::ParameterValue, 'Judge stored hashes: OWASP verdict, needed rehashes, shared hashes and salts')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Add users from htpasswd, /etc/shadow, CSV, JSON Lines or an app''s SQLite')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Read or change the policy shared with the web app (stored in the database)')
            [CompletionResult]::new('log', 'log', [CompletionResultType]::ParameterValue, 'Show the security event log, oldest first')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print the completion script for a shell; no database needed')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'credman;init' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The database file [default: <data dir>/credman/credman.db]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print exactly one JSON document on stdout, and nothing else')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'credman;user' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The database file [default: <data dir>/credman/credman.db]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print exactly one JSON document on stdout, and nothing else')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Create a user with a password')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List users, as a table or a JSON array')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one user: dates, lock state, failed attempts, hash scheme')
            [CompletionResult]::new('passwd', 'passwd', [CompletionResultType]::ParameterValue, 'Set a user''s password; their sessions are revoked')
            [CompletionResult]::new('lock', 'lock', [CompletionResultType]::ParameterValue, 'Lock a user: they can no longer verify or log in')
            [CompletionResult]::new('unlock', 'unlock', [CompletionResultType]::ParameterValue, 'Unlock a user and clear their failed-attempt throttling')
            [CompletionResult]::new('rename', 'rename', [CompletionResultType]::ParameterValue, 'Rename a user; their password, history and lock state stay')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete a user and their sessions (the event log keeps their history)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'credman;user;add' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The database file [default: <data dir>/credman/credman.db]')
            [CompletionResult]::new('--password-stdin', '--password-stdin', [CompletionResultType]::ParameterName, 'Read the password from the first line of standard input instead of prompting')
            [CompletionResult]::new('--generate', '--generate', [CompletionResultType]::ParameterName, 'Generate a random password (24 characters from the OS''s CSPRNG, or password.min_length if longer) and print it once')
            [CompletionResult]::new('--allow-weak', '--allow-weak', [CompletionResultType]::ParameterName, 'Accept a password the policy refuses (recorded in the event log)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print exactly one JSON document on stdout, and nothing else')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'credman;user;list' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The database file [default: <data dir>/credman/credman.db]')
            [CompletionResult]::new('--locked', '--locked', [CompletionResultType]::ParameterName, 'Only locked users')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print exactly one JSON document on stdout, and nothing else')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'credman;user;show' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The database file [default: <data dir>/credman/credman.db]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print exactly one JSON document on stdout, and nothing else')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'credman;user;passwd' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The database file [default: <data dir>/credman/credman.db]')
            [CompletionResult]::new('--password-stdin', '--password-stdin', [CompletionResultType]::ParameterName, 'Read the password from the first line of standard input instead of prompting')
            [CompletionResult]::new('--generate', '--generate', [CompletionResultType]::ParameterName, 'Generate a random password (24 characters from the OS''s CSPRNG, or password.min_length if longer) and print it once')
            [CompletionResult]::new('--allow-weak', '--allow-weak', [CompletionResultType]::ParameterName, 'Accept a password the policy refuses (recorded in the event log)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print exactly one JSON document on stdout, and nothing else')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'credman;user;lock' {
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why, for the record (shown by `user show` and in the event log)')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The database file [default: <data dir>/credman/credman.db]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print exactly one JSON document on stdout, and nothing else')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'credman;user;unlock' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The database file [default: <data dir>/credman/credman.db]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print exactly one JSON document on stdout, and nothing else')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'credman;user;rename' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The database file [default: <data dir>/credman/credman.db]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print exactly one JSON document on stdout, and nothing else')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'credman;user;delete' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The database file [default: <data dir>/credman/credman.db]')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print exactly one JSON document on stdout, and nothing else')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'credman;user;help' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Create a user with a password')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List users, as a table or a JSON array')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one user: dates, lock state, failed attempts, hash scheme')
            [CompletionResult]::new('passwd', 'passwd', [CompletionResultType]::ParameterValue, 'Set a user''s password; their sessions are revoked')
            [CompletionResult]::new('lock', 'lock', [CompletionResultType]::ParameterValue, 'Lock a user: they can no longer verify or log in')
            [CompletionResult]::new('unlock', 'unlock', [CompletionResultType]::ParameterValue, 'Unlock a user and clear their failed-attempt throttling')
            [CompletionResult]::new('rename', 'rename', [CompletionResultType]::ParameterValue, 'Rename a user; their password, history and lock state stay')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete a user and their sessions (the event log keeps their history)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'credman;user;help;add' {
            break
        }
        'credman;user;help;list' {
            break
        }
        'credman;user;help;show' {
            break
        }
        'credman;user;help;passwd' {
            break
        }
        'credman;user;help;lock' {
            break
        }
        'credman;user;help;unlock' {
            break
        }
        'credman;user;help;rename' {
            break
        }
        'credman;user;help;delete' {
            break
        }
        'credman;user;help;help' {
            break
        }
        'credman;verify' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The database file [default: <data dir>/credman/credman.db]')
            [CompletionResult]::new('--password-stdin', '--password-stdin', [CompletionResultType]::ParameterName, 'Read the password from the first line of standard input instead of prompting')
            [CompletionResult]::new('--explain', '--explain', [CompletionResultType]::ParameterName, 'Say why a denial happened, on stderr (for an admin at a terminal; never pass this through to a client)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print exactly one JSON document on stdout, and nothing else')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'credman;session' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The database file [default: <data dir>/credman/credman.db]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print exactly one JSON document on stdout, and nothing else')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Log a user in from the shell: check their password and print a new session token')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List active sessions (with --all, expired and revoked ones too)')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Check a session token from stdin; exit 0 and print its user if it is valid')
            [CompletionResult]::new('rotate', 'rotate', [CompletionResultType]::ParameterValue, 'Give a session a new token; the old one stops working at once')
            [CompletionResult]::new('revoke', 'revoke', [CompletionResultType]::ParameterValue, 'Revoke sessions: by ID, every session of a user, or every session')
            [CompletionResult]::new('prune', 'prune', [CompletionResultType]::ParameterValue, 'Delete expired and revoked sessions; print how many')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'credman;session;create' {
            [CompletionResult]::new('--ttl', '--ttl', [CompletionResultType]::ParameterName, 'Absolute lifetime (90s, 30m, 12h, 7d) [default: session.ttl]')
            [CompletionResult]::new('--idle', '--idle', [CompletionResultType]::ParameterName, 'Idle timeout [default: session.idle]')
            [CompletionResult]::new('--label', '--label', [CompletionResultType]::ParameterName, 'A note shown in session lists, e.g. the device')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The database file [default: <data dir>/credman/credman.db]')
            [CompletionResult]::new('--password-stdin', '--password-stdin', [CompletionResultType]::ParameterName, 'Read the password from the first line of standard input instead of prompting')
            [CompletionResult]::new('--no-verify', '--no-verify', [CompletionResultType]::ParameterName, 'Do not check a password: an admin issuing a session (the event log records it)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print exactly one JSON document on stdout, and nothing else')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'credman;session;list' {
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Only this user''s sessions')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The database file [default: <data dir>/credman/credman.db]')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Include expired and revoked sessions')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print exactly one JSON document on stdout, and nothing else')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'credman;session;check' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The database file [default: <data dir>/credman/credman.db]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print exactly one JSON document on stdout, and nothing else')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'credman;session;rotate' {
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Rotate every active session of this user')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The database file [default: <data dir>/credman/credman.db]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print exactly one JSON document on stdout, and nothing else')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'credman;session;revoke' {
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Revoke every session of this user')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The database file [default: <data dir>/credman/credman.db]')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Revoke every session of every user')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print exactly one JSON document on stdout, and nothing else')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'credman;session;prune' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The database file [default: <data dir>/credman/credman.db]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print exactly one JSON document on stdout, and nothing else')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'credman;session;help' {
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Log a user in from the shell: check their password and print a new session token')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List active sessions (with --all, expired and revoked ones too)')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Check a session token from stdin; exit 0 and print its user if it is valid')
            [CompletionResult]::new('rotate', 'rotate', [CompletionResultType]::ParameterValue, 'Give a session a new token; the old one stops working at once')
            [CompletionResult]::new('revoke', 'revoke', [CompletionResultType]::ParameterValue, 'Revoke sessions: by ID, every session of a user, or every session')
            [CompletionResult]::new('prune', 'prune', [CompletionResultType]::ParameterValue, 'Delete expired and revoked sessions; print how many')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'credman;session;help;create' {
            break
        }
        'credman;session;help;list' {
            break
        }
        'credman;session;help;check' {
            break
        }
        'credman;session;help;rotate' {
            break
        }
        'credman;session;help;revoke' {
            break
        }
        'credman;session;help;prune' {
            break
        }
        'credman;session;help;help' {
            break
        }
        'credman;who' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The database file [default: <data dir>/credman/credman.db]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print exactly one JSON document on stdout, and nothing else')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'credman;hash' {
            [CompletionResult]::new('--scheme', '--scheme', [CompletionResultType]::ParameterName, 'The hash format to write')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The database file [default: <data dir>/credman/credman.db]')
            [CompletionResult]::new('--password-stdin', '--password-stdin', [CompletionResultType]::ParameterName, 'Read the password from the first line of standard input instead of prompting')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print exactly one JSON document on stdout, and nothing else')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check a password against a hash; exit 0 if it matches, 1 if not')
            [CompletionResult]::new('identify', 'identify', [CompletionResultType]::ParameterValue, 'Say what a stored hash is: scheme, cost parameters, strength verdict; no KDF runs')
            [CompletionResult]::new('calibrate', 'calibrate', [CompletionResultType]::ParameterValue, 'Time OWASP''s argon2id parameter sets here and recommend one for new hashes')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'credman;hash;verify' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The database file [default: <data dir>/credman/credman.db]')
            [CompletionResult]::new('--password-stdin', '--password-stdin', [CompletionResultType]::ParameterName, 'Read the password from the first line of standard input instead of prompting')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print exactly one JSON document on stdout, and nothing else')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'credman;hash;identify' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The database file [default: <data dir>/credman/credman.db]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print exactly one JSON document on stdout, and nothing else')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'credman;hash;calibrate' {
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The longest a password hash may take here (1ms to 10s, like 100ms, 250ms, 1s)')
            [CompletionResult]::new('--samples', '--samples', [CompletionResultType]::ParameterName, 'Timed runs per parameter set, after one warm-up run; the median counts')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The database file [default: <data dir>/credman/credman.db]')
            [CompletionResult]::new('--apply', '--apply', [CompletionResultType]::ParameterName, 'Store the recommendation as the policy for new hashes (creates the database if needed)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print exactly one JSON document on stdout, and nothing else')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'credman;hash;help' {
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check a password against a hash; exit 0 if it matches, 1 if not')
            [CompletionResult]::new('identify', 'identify', [CompletionResultType]::ParameterValue, 'Say what a stored hash is: scheme, cost parameters, strength verdict; no KDF runs')
            [CompletionResult]::new('calibrate', 'calibrate', [CompletionResultType]::ParameterValue, 'Time OWASP''s argon2id parameter sets here and recommend one for new hashes')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'credman;hash;help;verify' {
            break
        }
        'credman;hash;help;identify' {
            break
        }
        'credman;hash;help;calibrate' {
            break
        }
        'credman;hash;help;help' {
            break
        }
        'credman;audit' {
            [CompletionResult]::new('--fail-on', '--fail-on', [CompletionResultType]::ParameterName, 'Exit 1 when a finding is at least this bad')
            [CompletionResult]::new('--stale', '--stale', [CompletionResultType]::ParameterName, 'Only users whose hash needs a rehash and who have not logged in for DAYS')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'The file''s format: lines holds one bare hash per line')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The database file [default: <data dir>/credman/credman.db]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print exactly one JSON document on stdout, and nothing else')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'credman;import' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'The file''s format')
            [CompletionResult]::new('--sqlite', '--sqlite', [CompletionResultType]::ParameterName, 'Read the users from this SQLite database (opened read-only) instead of a file')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'With --sqlite: a SELECT whose first two columns are the user name and the stored hash')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The database file [default: <data dir>/credman/credman.db]')
            [CompletionResult]::new('--update', '--update', [CompletionResultType]::ParameterName, 'Replace the hash of users that already exist (their sessions are revoked)')
            [CompletionResult]::new('--atomic', '--atomic', [CompletionResultType]::ParameterName, 'All or nothing: import no user at all if any line is bad')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Report what would happen, change nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print exactly one JSON document on stdout, and nothing else')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'credman;config' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The database file [default: <data dir>/credman/credman.db]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print exactly one JSON document on stdout, and nothing else')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Show every setting, its value and its default')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Print one setting''s value')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Change one setting (validated; the whole policy must stay consistent)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'credman;config;list' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The database file [default: <data dir>/credman/credman.db]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print exactly one JSON document on stdout, and nothing else')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'credman;config;get' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The database file [default: <data dir>/credman/credman.db]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print exactly one JSON document on stdout, and nothing else')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'credman;config;set' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The database file [default: <data dir>/credman/credman.db]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print exactly one JSON document on stdout, and nothing else')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'credman;config;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Show every setting, its value and its default')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Print one setting''s value')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Change one setting (validated; the whole policy must stay consistent)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'credman;config;help;list' {
            break
        }
        'credman;config;help;get' {
            break
        }
        'credman;config;help;set' {
            break
        }
        'credman;config;help;help' {
            break
        }
        'credman;log' {
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Only events about this user')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only events newer than this (90s, 30m, 12h, 7d, 1h30m)')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'Show at most this many of the newest events')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The database file [default: <data dir>/credman/credman.db]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print exactly one JSON document on stdout, and nothing else')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'credman;completions' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The database file [default: <data dir>/credman/credman.db]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print exactly one JSON document on stdout, and nothing else')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'credman;help' {
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Create the database if it does not exist, and print its path')
            [CompletionResult]::new('user', 'user', [CompletionResultType]::ParameterValue, 'Create, list, change, lock and delete users')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check a user''s password; exit 0 if it is valid, 1 if not')
            [CompletionResult]::new('session', 'session', [CompletionResultType]::ParameterValue, 'Log users in, see their sessions, rotate, revoke and prune them')
            [CompletionResult]::new('who', 'who', [CompletionResultType]::ParameterValue, 'Who is logged in: one row per user with active sessions')
            [CompletionResult]::new('hash', 'hash', [CompletionResultType]::ParameterValue, 'Make, check and identify password hashes; calibrate argon2id for this machine')
            [CompletionResult]::new('audit', 'audit', [CompletionResultType]::ParameterValue, 'Judge stored hashes: OWASP verdict, needed rehashes, shared hashes and salts')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Add users from htpasswd, /etc/shadow, CSV, JSON Lines or an app''s SQLite')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Read or change the policy shared with the web app (stored in the database)')
            [CompletionResult]::new('log', 'log', [CompletionResultType]::ParameterValue, 'Show the security event log, oldest first')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print the completion script for a shell; no database needed')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'credman;help;init' {
            break
        }
        'credman;help;user' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Create a user with a password')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List users, as a table or a JSON array')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one user: dates, lock state, failed attempts, hash scheme')
            [CompletionResult]::new('passwd', 'passwd', [CompletionResultType]::ParameterValue, 'Set a user''s password; their sessions are revoked')
            [CompletionResult]::new('lock', 'lock', [CompletionResultType]::ParameterValue, 'Lock a user: they can no longer verify or log in')
            [CompletionResult]::new('unlock', 'unlock', [CompletionResultType]::ParameterValue, 'Unlock a user and clear their failed-attempt throttling')
            [CompletionResult]::new('rename', 'rename', [CompletionResultType]::ParameterValue, 'Rename a user; their password, history and lock state stay')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete a user and their sessions (the event log keeps their history)')
            break
        }
        'credman;help;user;add' {
            break
        }
        'credman;help;user;list' {
            break
        }
        'credman;help;user;show' {
            break
        }
        'credman;help;user;passwd' {
            break
        }
        'credman;help;user;lock' {
            break
        }
        'credman;help;user;unlock' {
            break
        }
        'credman;help;user;rename' {
            break
        }
        'credman;help;user;delete' {
            break
        }
        'credman;help;verify' {
            break
        }
        'credman;help;session' {
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Log a user in from the shell: check their password and print a new session token')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List active sessions (with --all, expired and revoked ones too)')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Check a session token from stdin; exit 0 and print its user if it is valid')
            [CompletionResult]::new('rotate', 'rotate', [CompletionResultType]::ParameterValue, 'Give a session a new token; the old one stops working at once')
            [CompletionResult]::new('revoke', 'revoke', [CompletionResultType]::ParameterValue, 'Revoke sessions: by ID, every session of a user, or every session')
            [CompletionResult]::new('prune', 'prune', [CompletionResultType]::ParameterValue, 'Delete expired and revoked sessions; print how many')
            break
        }
        'credman;help;session;create' {
            break
        }
        'credman;help;session;list' {
            break
        }
        'credman;help;session;check' {
            break
        }
        'credman;help;session;rotate' {
            break
        }
        'credman;help;session;revoke' {
            break
        }
        'credman;help;session;prune' {
            break
        }
        'credman;help;who' {
            break
        }
        'credman;help;hash' {
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check a password against a hash; exit 0 if it matches, 1 if not')
            [CompletionResult]::new('identify', 'identify', [CompletionResultType]::ParameterValue, 'Say what a stored hash is: scheme, cost parameters, strength verdict; no KDF runs')
            [CompletionResult]::new('calibrate', 'calibrate', [CompletionResultType]::ParameterValue, 'Time OWASP''s argon2id parameter sets here and recommend one for new hashes')
            break
        }
        'credman;help;hash;verify' {
            break
        }
        'credman;help;hash;identify' {
            break
        }
        'credman;help;hash;calibrate' {
            break
        }
        'credman;help;audit' {
            break
        }
        'credman;help;import' {
            break
        }
        'credman;help;config' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Show every setting, its value and its default')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Print one setting''s value')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Change one setting (validated; the whole policy must stay consistent)')
            break
        }
        'credman;help;config;list' {
            break
        }
        'credman;help;config;get' {
            break
        }
        'credman;help;config;set' {
            break
        }
        'credman;help;log' {
            break
        }
        'credman;help;completions' {
            break
        }
        'credman;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
