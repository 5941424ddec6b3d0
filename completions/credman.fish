# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_credman_global_optspecs
    string join \n db= json h/help V/version
end

function __fish_credman_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_credman_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_credman_using_subcommand
    set -l cmd (__fish_credman_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c credman -n "__fish_credman_needs_command" -l db -d 'The database file [default: <data dir>/credman/credman.db]' -r -F
complete -c credman -n "__fish_credman_needs_command" -l json -d 'Print exactly one JSON document on stdout, and nothing else'
complete -c credman -n "__fish_credman_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c credman -n "__fish_credman_needs_command" -s V -l version -d 'Print version'
complete -c credman -n "__fish_credman_needs_command" -f -a "init" -d 'Create the database if it does not exist, and print its path'
complete -c credman -n "__fish_credman_needs_command" -f -a "user" -d 'Create, list, change, lock and delete users'
complete -c credman -n "__fish_credman_needs_command" -f -a "verify" -d 'Check a user\'s password; exit 0 if it is valid, 1 if not'
complete -c credman -n "__fish_credman_needs_command" -f -a "session" -d 'Log users in, see their sessions, rotate, revoke and prune them'
complete -c credman -n "__fish_credman_needs_command" -f -a "who" -d 'Who is logged in: one row per user with active sessions'
complete -c credman -n "__fish_credman_needs_command" -f -a "hash" -d 'Make, check and identify password hashes; calibrate argon2id for this machine'
complete -c credman -n "__fish_credman_needs_command" -f -a "audit" -d 'Judge stored hashes: OWASP verdict, needed rehashes, shared hashes and salts'
complete -c credman -n "__fish_credman_needs_command" -f -a "import" -d 'Add users from htpasswd, /etc/shadow, CSV, JSON Lines or an app\'s SQLite'
complete -c credman -n "__fish_credman_needs_command" -f -a "config" -d 'Read or change the policy shared with the web app (stored in the database)'
complete -c credman -n "__fish_credman_needs_command" -f -a "log" -d 'Show the security event log, oldest first'
complete -c credman -n "__fish_credman_needs_command" -f -a "completions" -d 'Print the completion script for a shell; no database needed'
complete -c credman -n "__fish_credman_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c credman -n "__fish_credman_using_subcommand init" -l db -d 'The database file [default: <data dir>/credman/credman.db]' -r -F
complete -c credman -n "__fish_credman_using_subcommand init" -l json -d 'Print exactly one JSON document on stdout, and nothing else'
complete -c credman -n "__fish_credman_using_subcommand init" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c credman -n "__fish_credman_using_subcommand user; and not __fish_seen_subcommand_from add list show passwd lock unlock rename delete help" -l db -d 'The database file [default: <data dir>/credman/credman.db]' -r -F
complete -c credman -n "__fish_credman_using_subcommand user; and not __fish_seen_subcommand_from add list show passwd lock unlock rename delete help" -l json -d 'Print exactly one JSON document on stdout, and nothing else'
complete -c credman -n "__fish_credman_using_subcommand user; and not __fish_seen_subcommand_from add list show passwd lock unlock rename delete help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c credman -n "__fish_credman_using_subcommand user; and not __fish_seen_subcommand_from add list show passwd lock unlock rename delete help" -f -a "add" -d 'Create a user with a password'
complete -c credman -n "__fish_credman_using_subcommand user; and not __fish_seen_subcommand_from add list show passwd lock unlock rename delete help" -f -a "list" -d 'List users, as a table or a JSON array'
complete -c credman -n "__fish_credman_using_subcommand user; and not __fish_seen_subcommand_from add list show passwd lock unlock rename delete help" -f -a "show" -d 'Show one user: dates, lock state, failed attempts, hash scheme'
complete -c credman -n "__fish_credman_using_subcommand user; and not __fish_seen_subcommand_from add list show passwd lock unlock rename delete help" -f -a "passwd" -d 'Set a user\'s password; their sessions are revoked'
complete -c credman -n "__fish_credman_using_subcommand user; and not __fish_seen_subcommand_from add list show passwd lock unlock rename delete help" -f -a "lock" -d 'Lock a user: they can no longer verify or log in'
complete -c credman -n "__fish_credman_using_subcommand user; and not __fish_seen_subcommand_from add list show passwd lock unlock rename delete help" -f -a "unlock" -d 'Unlock a user and clear their failed-attempt throttling'
complete -c credman -n "__fish_credman_using_subcommand user; and not __fish_seen_subcommand_from add list show passwd lock unlock rename delete help" -f -a "rename" -d 'Rename a user; their password, history and lock state stay'
complete -c credman -n "__fish_credman_using_subcommand user; and not __fish_seen_subcommand_from add list show passwd lock unlock rename delete help" -f -a "delete" -d 'Delete a user and their sessions (the event log keeps their history)'
complete -c credman -n "__fish_credman_using_subcommand user; and not __fish_seen_subcommand_from add list show passwd lock unlock rename delete help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c credman -n "__fish_credman_using_subcommand user; and __fish_seen_subcommand_from add" -l db -d 'The database file [default: <data dir>/credman/credman.db]' -r -F
complete -c credman -n "__fish_credman_using_subcommand user; and __fish_seen_subcommand_from add" -l password-stdin -d 'Read the password from the first line of standard input instead of prompting'
complete -c credman -n "__fish_credman_using_subcommand user; and __fish_seen_subcommand_from add" -l generate -d 'Generate a random password (24 characters from the OS\'s CSPRNG, or password.min_length if longer) and print it once'
complete -c credman -n "__fish_credman_using_subcommand user; and __fish_seen_subcommand_from add" -l allow-weak -d 'Accept a password the policy refuses (recorded in the event log)'
complete -c credman -n "__fish_credman_using_subcommand user; and __fish_seen_subcommand_from add" -l json -d 'Print exactly one JSON document on stdout, and nothing else'
complete -c credman -n "__fish_credman_using_subcommand user; and __fish_seen_subcommand_from add" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c credman -n "__fish_credman_using_subcommand user; and __fish_seen_subcommand_from list" -l db -d 'The database file [default: <data dir>/credman/credman.db]' -r -F
complete -c credman -n "__fish_credman_using_subcommand user; and __fish_seen_subcommand_from list" -l locked -d 'Only locked users'
complete -c credman -n "__fish_credman_using_subcommand user; and __fish_seen_subcommand_from list" -l json -d 'Print exactly one JSON document on stdout, and nothing else'
complete -c credman -n "__fish_credman_using_subcommand user; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c credman -n "__fish_credman_using_subcommand user; and __fish_seen_subcommand_from show" -l db -d 'The database file [default: <data dir>/credman/credman.db]' -r -F
complete -c credman -n "__fish_credman_using_subcommand user; and __fish_seen_subcommand_from show" -l json -d 'Print exactly one JSON document on stdout, and nothing else'
complete -c credman -n "__fish_credman_using_subcommand user; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c credman -n "__fish_credman_using_subcommand user; and __fish_seen_subcommand_from passwd" -l db -d 'The database file [default: <data dir>/credman/credman.db]' -r -F
complete -c credman -n "__fish_credman_using_subcommand user; and __fish_seen_subcommand_from passwd" -l password-stdin -d 'Read the password from the first line of standard input instead of prompting'
complete -c credman -n "__fish_credman_using_subcommand user; and __fish_seen_subcommand_from passwd" -l generate -d 'Generate a random password (24 characters from the OS\'s CSPRNG, or password.min_length if longer) and print it once'
complete -c credman -n "__fish_credman_using_subcommand user; and __fish_seen_subcommand_from passwd" -l allow-weak -d 'Accept a password the policy refuses (recorded in the event log)'
complete -c credman -n "__fish_credman_using_subcommand user; and __fish_seen_subcommand_from passwd" -l json -d 'Print exactly one JSON document on stdout, and nothing else'
complete -c credman -n "__fish_credman_using_subcommand user; and __fish_seen_subcommand_from passwd" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c credman -n "__fish_credman_using_subcommand user; and __fish_seen_subcommand_from lock" -l reason -d 'Why, for the record (shown by `user show` and in the event log)' -r
complete -c credman -n "__fish_credman_using_subcommand user; and __fish_seen_subcommand_from lock" -l db -d 'The database file [default: <data dir>/credman/credman.db]' -r -F
complete -c credman -n "__fish_credman_using_subcommand user; and __fish_seen_subcommand_from lock" -l json -d 'Print exactly one JSON document on stdout, and nothing else'
complete -c credman -n "__fish_credman_using_subcommand user; and __fish_seen_subcommand_from lock" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c credman -n "__fish_credman_using_subcommand user; and __fish_seen_subcommand_from unlock" -l db -d 'The database file [default: <data dir>/credman/credman.db]' -r -F
complete -c credman -n "__fish_credman_using_subcommand user; and __fish_seen_subcommand_from unlock" -l json -d 'Print exactly one JSON document on stdout, and nothing else'
complete -c credman -n "__fish_credman_using_subcommand user; and __fish_seen_subcommand_from unlock" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c credman -n "__fish_credman_using_subcommand user; and __fish_seen_subcommand_from rename" -l db -d 'The database file [default: <data dir>/credman/credman.db]' -r -F
complete -c credman -n "__fish_credman_using_subcommand user; and __fish_seen_subcommand_from rename" -l json -d 'Print exactly one JSON document on stdout, and nothing else'
complete -c credman -n "__fish_credman_using_subcommand user; and __fish_seen_subcommand_from rename" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c credman -n "__fish_credman_using_subcommand user; and __fish_seen_subcommand_from delete" -l db -d 'The database file [default: <data dir>/credman/credman.db]' -r -F
complete -c credman -n "__fish_credman_using_subcommand user; and __fish_seen_subcommand_from delete" -s y -l yes -d 'Do not ask for confirmation'
complete -c credman -n "__fish_credman_using_subcommand user; and __fish_seen_subcommand_from delete" -l json -d 'Print exactly one JSON document on stdout, and nothing else'
complete -c credman -n "__fish_credman_using_subcommand user; and __fish_seen_subcommand_from delete" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c credman -n "__fish_credman_using_subcommand user; and __fish_seen_subcommand_from help" -f -a "add" -d 'Create a user with a password'
complete -c credman -n "__fish_credman_using_subcommand user; and __fish_seen_subcommand_from help" -f -a "list" -d 'List users, as a table or a JSON array'
complete -c credman -n "__fish_credman_using_subcommand user; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show one user: dates, lock state, failed attempts, hash scheme'
complete -c credman -n "__fish_credman_using_subcommand user; and __fish_seen_subcommand_from help" -f -a "passwd" -d 'Set a user\'s password; their sessions are revoked'
complete -c credman -n "__fish_credman_using_subcommand user; and __fish_seen_subcommand_from help" -f -a "lock" -d 'Lock a user: they can no longer verify or log in'
complete -c credman -n "__fish_credman_using_subcommand user; and __fish_seen_subcommand_from help" -f -a "unlock" -d 'Unlock a user and clear their failed-attempt throttling'
complete -c credman -n "__fish_credman_using_subcommand user; and __fish_seen_subcommand_from help" -f -a "rename" -d 'Rename a user; their password, history and lock state stay'
complete -c credman -n "__fish_credman_using_subcommand user; and __fish_seen_subcommand_from help" -f -a "delete" -d 'Delete a user and their sessions (the event log keeps their history)'
complete -c credman -n "__fish_credman_using_subcommand user; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c credman -n "__fish_credman_using_subcommand verify" -l db -d 'The database file [default: <data dir>/credman/credman.db]' -r -F
complete -c credman -n "__fish_credman_using_subcommand verify" -l password-stdin -d 'Read the password from the first line of standard input instead of prompting'
complete -c credman -n "__fish_credman_using_subcommand verify" -l explain -d 'Say why a denial happened, on stderr (for an admin at a terminal; never pass this through to a client)'
complete -c credman -n "__fish_credman_using_subcommand verify" -l json -d 'Print exactly one JSON document on stdout, and nothing else'
complete -c credman -n "__fish_credman_using_subcommand verify" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c credman -n "__fish_credman_using_subcommand session; and not __fish_seen_subcommand_from create list check rotate revoke prune help" -l db -d 'The database file [default: <data dir>/credman/credman.db]' -r -F
complete -c credman -n "__fish_credman_using_subcommand session; and not __fish_seen_subcommand_from create list check rotate revoke prune help" -l json -d 'Print exactly one JSON document on stdout, and nothing else'
complete -c credman -n "__fish_credman_using_subcommand session; and not __fish_seen_subcommand_from create list check rotate revoke prune help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c credman -n "__fish_credman_using_subcommand session; and not __fish_seen_subcommand_from create list check rotate revoke prune help" -f -a "create" -d 'Log a user in from the shell: check their password and print a new session token'
complete -c credman -n "__fish_credman_using_subcommand session; and not __fish_seen_subcommand_from create list check rotate revoke prune help" -f -a "list" -d 'List active sessions (with --all, expired and revoked ones too)'
complete -c credman -n "__fish_credman_using_subcommand session; and not __fish_seen_subcommand_from create list check rotate revoke prune help" -f -a "check" -d 'Check a session token from stdin; exit 0 and print its user if it is valid'
complete -c credman -n "__fish_credman_using_subcommand session; and not __fish_seen_subcommand_from create list check rotate revoke prune help" -f -a "rotate" -d 'Give a session a new token; the old one stops working at once'
complete -c credman -n "__fish_credman_using_subcommand session; and not __fish_seen_subcommand_from create list check rotate revoke prune help" -f -a "revoke" -d 'Revoke sessions: by ID, every session of a user, or every session'
complete -c credman -n "__fish_credman_using_subcommand session; and not __fish_seen_subcommand_from create list check rotate revoke prune help" -f -a "prune" -d 'Delete expired and revoked sessions; print how many'
complete -c credman -n "__fish_credman_using_subcommand session; and not __fish_seen_subcommand_from create list check rotate revoke prune help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c credman -n "__fish_credman_using_subcommand session; and __fish_seen_subcommand_from create" -l ttl -d 'Absolute lifetime (90s, 30m, 12h, 7d) [default: session.ttl]' -r
complete -c credman -n "__fish_credman_using_subcommand session; and __fish_seen_subcommand_from create" -l idle -d 'Idle timeout [default: session.idle]' -r
complete -c credman -n "__fish_credman_using_subcommand session; and __fish_seen_subcommand_from create" -l label -d 'A note shown in session lists, e.g. the device' -r
complete -c credman -n "__fish_credman_using_subcommand session; and __fish_seen_subcommand_from create" -l db -d 'The database file [default: <data dir>/credman/credman.db]' -r -F
complete -c credman -n "__fish_credman_using_subcommand session; and __fish_seen_subcommand_from create" -l password-stdin -d 'Read the password from the first line of standard input instead of prompting'
complete -c credman -n "__fish_credman_using_subcommand session; and __fish_seen_subcommand_from create" -l no-verify -d 'Do not check a password: an admin issuing a session (the event log records it)'
complete -c credman -n "__fish_credman_using_subcommand session; and __fish_seen_subcommand_from create" -l json -d 'Print exactly one JSON document on stdout, and nothing else'
complete -c credman -n "__fish_credman_using_subcommand session; and __fish_seen_subcommand_from create" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c credman -n "__fish_credman_using_subcommand session; and __fish_seen_subcommand_from list" -l user -d 'Only this user\'s sessions' -r
complete -c credman -n "__fish_credman_using_subcommand session; and __fish_seen_subcommand_from list" -l db -d 'The database file [default: <data dir>/credman/credman.db]' -r -F
complete -c credman -n "__fish_credman_using_subcommand session; and __fish_seen_subcommand_from list" -l all -d 'Include expired and revoked sessions'
complete -c credman -n "__fish_credman_using_subcommand session; and __fish_seen_subcommand_from list" -l json -d 'Print exactly one JSON document on stdout, and nothing else'
complete -c credman -n "__fish_credman_using_subcommand session; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c credman -n "__fish_credman_using_subcommand session; and __fish_seen_subcommand_from check" -l db -d 'The database file [default: <data dir>/credman/credman.db]' -r -F
complete -c credman -n "__fish_credman_using_subcommand session; and __fish_seen_subcommand_from check" -l json -d 'Print exactly one JSON document on stdout, and nothing else'
complete -c credman -n "__fish_credman_using_subcommand session; and __fish_seen_subcommand_from check" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c credman -n "__fish_credman_using_subcommand session; and __fish_seen_subcommand_from rotate" -l user -d 'Rotate every active session of this user' -r
complete -c credman -n "__fish_credman_using_subcommand session; and __fish_seen_subcommand_from rotate" -l db -d 'The database file [default: <data dir>/credman/credman.db]' -r -F
complete -c credman -n "__fish_credman_using_subcommand session; and __fish_seen_subcommand_from rotate" -l json -d 'Print exactly one JSON document on stdout, and nothing else'
complete -c credman -n "__fish_credman_using_subcommand session; and __fish_seen_subcommand_from rotate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c credman -n "__fish_credman_using_subcommand session; and __fish_seen_subcommand_from revoke" -l user -d 'Revoke every session of this user' -r
complete -c credman -n "__fish_credman_using_subcommand session; and __fish_seen_subcommand_from revoke" -l db -d 'The database file [default: <data dir>/credman/credman.db]' -r -F
complete -c credman -n "__fish_credman_using_subcommand session; and __fish_seen_subcommand_from revoke" -l all -d 'Revoke every session of every user'
complete -c credman -n "__fish_credman_using_subcommand session; and __fish_seen_subcommand_from revoke" -l json -d 'Print exactly one JSON document on stdout, and nothing else'
complete -c credman -n "__fish_credman_using_subcommand session; and __fish_seen_subcommand_from revoke" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c credman -n "__fish_credman_using_subcommand session; and __fish_seen_subcommand_from prune" -l db -d 'The database file [default: <data dir>/credman/credman.db]' -r -F
complete -c credman -n "__fish_credman_using_subcommand session; and __fish_seen_subcommand_from prune" -l json -d 'Print exactly one JSON document on stdout, and nothing else'
complete -c credman -n "__fish_credman_using_subcommand session; and __fish_seen_subcommand_from prune" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c credman -n "__fish_credman_using_subcommand session; and __fish_seen_subcommand_from help" -f -a "create" -d 'Log a user in from the shell: check their password and print a new session token'
complete -c credman -n "__fish_credman_using_subcommand session; and __fish_seen_subcommand_from help" -f -a "list" -d 'List active sessions (with --all, expired and revoked ones too)'
complete -c credman -n "__fish_credman_using_subcommand session; and __fish_seen_subcommand_from help" -f -a "check" -d 'Check a session token from stdin; exit 0 and print its user if it is valid'
complete -c credman -n "__fish_credman_using_subcommand session; and __fish_seen_subcommand_from help" -f -a "rotate" -d 'Give a session a new token; the old one stops working at once'
complete -c credman -n "__fish_credman_using_subcommand session; and __fish_seen_subcommand_from help" -f -a "revoke" -d 'Revoke sessions: by ID, every session of a user, or every session'
complete -c credman -n "__fish_credman_using_subcommand session; and __fish_seen_subcommand_from help" -f -a "prune" -d 'Delete expired and revoked sessions; print how many'
complete -c credman -n "__fish_credman_using_subcommand session; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c credman -n "__fish_credman_using_subcommand who" -l db -d 'The database file [default: <data dir>/credman/credman.db]' -r -F
complete -c credman -n "__fish_credman_using_subcommand who" -l json -d 'Print exactly one JSON document on stdout, and nothing else'
complete -c credman -n "__fish_credman_using_subcommand who" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c credman -n "__fish_credman_using_subcommand hash; and not __fish_seen_subcommand_from verify identify calibrate help" -l scheme -d 'The hash format to write' -r -f -a "argon2id\t'argon2id PHC string at the policy\'s parameters (credman\'s own)'
werkzeug-scrypt\t'Werkzeug 3.1\'s default, scrypt:32768:8:1$salt$hex: for a Flask app that still checks passwords with werkzeug.security.check_password_hash'
werkzeug-pbkdf2\t'Werkzeug 3.1\'s pbkdf2:sha256:1000000$salt$hex: for a Flask app that checks with Werkzeug and asks for method="pbkdf2" (e.g. where OpenSSL lacks scrypt)'
bcrypt\t'$2b$ at cost 12: for python bcrypt, htpasswd -B files and crypt(3); at most 72 bytes, no NUL byte'"
complete -c credman -n "__fish_credman_using_subcommand hash; and not __fish_seen_subcommand_from verify identify calibrate help" -l db -d 'The database file [default: <data dir>/credman/credman.db]' -r -F
complete -c credman -n "__fish_credman_using_subcommand hash; and not __fish_seen_subcommand_from verify identify calibrate help" -l password-stdin -d 'Read the password from the first line of standard input instead of prompting'
complete -c credman -n "__fish_credman_using_subcommand hash; and not __fish_seen_subcommand_from verify identify calibrate help" -l json -d 'Print exactly one JSON document on stdout, and nothing else'
complete -c credman -n "__fish_credman_using_subcommand hash; and not __fish_seen_subcommand_from verify identify calibrate help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c credman -n "__fish_credman_using_subcommand hash; and not __fish_seen_subcommand_from verify identify calibrate help" -f -a "verify" -d 'Check a password against a hash; exit 0 if it matches, 1 if not'
complete -c credman -n "__fish_credman_using_subcommand hash; and not __fish_seen_subcommand_from verify identify calibrate help" -f -a "identify" -d 'Say what a stored hash is: scheme, cost parameters, strength verdict; no KDF runs'
complete -c credman -n "__fish_credman_using_subcommand hash; and not __fish_seen_subcommand_from verify identify calibrate help" -f -a "calibrate" -d 'Time OWASP\'s argon2id parameter sets here and recommend one for new hashes'
complete -c credman -n "__fish_credman_using_subcommand hash; and not __fish_seen_subcommand_from verify identify calibrate help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c credman -n "__fish_credman_using_subcommand hash; and __fish_seen_subcommand_from verify" -l db -d 'The database file [default: <data dir>/credman/credman.db]' -r -F
complete -c credman -n "__fish_credman_using_subcommand hash; and __fish_seen_subcommand_from verify" -l password-stdin -d 'Read the password from the first line of standard input instead of prompting'
complete -c credman -n "__fish_credman_using_subcommand hash; and __fish_seen_subcommand_from verify" -l json -d 'Print exactly one JSON document on stdout, and nothing else'
complete -c credman -n "__fish_credman_using_subcommand hash; and __fish_seen_subcommand_from verify" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c credman -n "__fish_credman_using_subcommand hash; and __fish_seen_subcommand_from identify" -l db -d 'The database file [default: <data dir>/credman/credman.db]' -r -F
complete -c credman -n "__fish_credman_using_subcommand hash; and __fish_seen_subcommand_from identify" -l json -d 'Print exactly one JSON document on stdout, and nothing else'
complete -c credman -n "__fish_credman_using_subcommand hash; and __fish_seen_subcommand_from identify" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c credman -n "__fish_credman_using_subcommand hash; and __fish_seen_subcommand_from calibrate" -l target -d 'The longest a password hash may take here (1ms to 10s, like 100ms, 250ms, 1s)' -r
complete -c credman -n "__fish_credman_using_subcommand hash; and __fish_seen_subcommand_from calibrate" -l samples -d 'Timed runs per parameter set, after one warm-up run; the median counts' -r
complete -c credman -n "__fish_credman_using_subcommand hash; and __fish_seen_subcommand_from calibrate" -l db -d 'The database file [default: <data dir>/credman/credman.db]' -r -F
complete -c credman -n "__fish_credman_using_subcommand hash; and __fish_seen_subcommand_from calibrate" -l apply -d 'Store the recommendation as the policy for new hashes (creates the database if needed)'
complete -c credman -n "__fish_credman_using_subcommand hash; and __fish_seen_subcommand_from calibrate" -l json -d 'Print exactly one JSON document on stdout, and nothing else'
complete -c credman -n "__fish_credman_using_subcommand hash; and __fish_seen_subcommand_from calibrate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c credman -n "__fish_credman_using_subcommand hash; and __fish_seen_subcommand_from help" -f -a "verify" -d 'Check a password against a hash; exit 0 if it matches, 1 if not'
complete -c credman -n "__fish_credman_using_subcommand hash; and __fish_seen_subcommand_from help" -f -a "identify" -d 'Say what a stored hash is: scheme, cost parameters, strength verdict; no KDF runs'
complete -c credman -n "__fish_credman_using_subcommand hash; and __fish_seen_subcommand_from help" -f -a "calibrate" -d 'Time OWASP\'s argon2id parameter sets here and recommend one for new hashes'
complete -c credman -n "__fish_credman_using_subcommand hash; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c credman -n "__fish_credman_using_subcommand audit" -l fail-on -d 'Exit 1 when a finding is at least this bad' -r -f -a "weak\t'weak, legacy, plaintext or malformed hashes'
legacy\t'legacy, plaintext or malformed hashes'
any\t'any finding, a needed rehash or a shared hash included'"
complete -c credman -n "__fish_credman_using_subcommand audit" -l stale -d 'Only users whose hash needs a rehash and who have not logged in for DAYS' -r
complete -c credman -n "__fish_credman_using_subcommand audit" -l format -d 'The file\'s format: lines holds one bare hash per line' -r -f -a "htpasswd\t''
shadow\t''
csv\t''
jsonl\t''
lines\t''"
complete -c credman -n "__fish_credman_using_subcommand audit" -l db -d 'The database file [default: <data dir>/credman/credman.db]' -r -F
complete -c credman -n "__fish_credman_using_subcommand audit" -l json -d 'Print exactly one JSON document on stdout, and nothing else'
complete -c credman -n "__fish_credman_using_subcommand audit" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c credman -n "__fish_credman_using_subcommand import" -l format -d 'The file\'s format' -r -f -a "htpasswd\t''
shadow\t''
csv\t''
jsonl\t''"
complete -c credman -n "__fish_credman_using_subcommand import" -l sqlite -d 'Read the users from this SQLite database (opened read-only) instead of a file' -r -F
complete -c credman -n "__fish_credman_using_subcommand import" -l query -d 'With --sqlite: a SELECT whose first two columns are the user name and the stored hash' -r
complete -c credman -n "__fish_credman_using_subcommand import" -l db -d 'The database file [default: <data dir>/credman/credman.db]' -r -F
complete -c credman -n "__fish_credman_using_subcommand import" -l update -d 'Replace the hash of users that already exist (their sessions are revoked)'
complete -c credman -n "__fish_credman_using_subcommand import" -l atomic -d 'All or nothing: import no user at all if any line is bad'
complete -c credman -n "__fish_credman_using_subcommand import" -l dry-run -d 'Report what would happen, change nothing'
complete -c credman -n "__fish_credman_using_subcommand import" -l json -d 'Print exactly one JSON document on stdout, and nothing else'
complete -c credman -n "__fish_credman_using_subcommand import" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c credman -n "__fish_credman_using_subcommand config; and not __fish_seen_subcommand_from list get set help" -l db -d 'The database file [default: <data dir>/credman/credman.db]' -r -F
complete -c credman -n "__fish_credman_using_subcommand config; and not __fish_seen_subcommand_from list get set help" -l json -d 'Print exactly one JSON document on stdout, and nothing else'
complete -c credman -n "__fish_credman_using_subcommand config; and not __fish_seen_subcommand_from list get set help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c credman -n "__fish_credman_using_subcommand config; and not __fish_seen_subcommand_from list get set help" -f -a "list" -d 'Show every setting, its value and its default'
complete -c credman -n "__fish_credman_using_subcommand config; and not __fish_seen_subcommand_from list get set help" -f -a "get" -d 'Print one setting\'s value'
complete -c credman -n "__fish_credman_using_subcommand config; and not __fish_seen_subcommand_from list get set help" -f -a "set" -d 'Change one setting (validated; the whole policy must stay consistent)'
complete -c credman -n "__fish_credman_using_subcommand config; and not __fish_seen_subcommand_from list get set help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c credman -n "__fish_credman_using_subcommand config; and __fish_seen_subcommand_from list" -l db -d 'The database file [default: <data dir>/credman/credman.db]' -r -F
complete -c credman -n "__fish_credman_using_subcommand config; and __fish_seen_subcommand_from list" -l json -d 'Print exactly one JSON document on stdout, and nothing else'
complete -c credman -n "__fish_credman_using_subcommand config; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c credman -n "__fish_credman_using_subcommand config; and __fish_seen_subcommand_from get" -l db -d 'The database file [default: <data dir>/credman/credman.db]' -r -F
complete -c credman -n "__fish_credman_using_subcommand config; and __fish_seen_subcommand_from get" -l json -d 'Print exactly one JSON document on stdout, and nothing else'
complete -c credman -n "__fish_credman_using_subcommand config; and __fish_seen_subcommand_from get" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c credman -n "__fish_credman_using_subcommand config; and __fish_seen_subcommand_from set" -l db -d 'The database file [default: <data dir>/credman/credman.db]' -r -F
complete -c credman -n "__fish_credman_using_subcommand config; and __fish_seen_subcommand_from set" -l json -d 'Print exactly one JSON document on stdout, and nothing else'
complete -c credman -n "__fish_credman_using_subcommand config; and __fish_seen_subcommand_from set" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c credman -n "__fish_credman_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "list" -d 'Show every setting, its value and its default'
complete -c credman -n "__fish_credman_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "get" -d 'Print one setting\'s value'
complete -c credman -n "__fish_credman_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "set" -d 'Change one setting (validated; the whole policy must stay consistent)'
complete -c credman -n "__fish_credman_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c credman -n "__fish_credman_using_subcommand log" -l user -d 'Only events about this user' -r
complete -c credman -n "__fish_credman_using_subcommand log" -l since -d 'Only events newer than this (90s, 30m, 12h, 7d, 1h30m)' -r
complete -c credman -n "__fish_credman_using_subcommand log" -l limit -d 'Show at most this many of the newest events' -r
complete -c credman -n "__fish_credman_using_subcommand log" -l db -d 'The database file [default: <data dir>/credman/credman.db]' -r -F
complete -c credman -n "__fish_credman_using_subcommand log" -l json -d 'Print exactly one JSON document on stdout, and nothing else'
complete -c credman -n "__fish_credman_using_subcommand log" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c credman -n "__fish_credman_using_subcommand completions" -l db -d 'The database file [default: <data dir>/credman/credman.db]' -r -F
complete -c credman -n "__fish_credman_using_subcommand completions" -l json -d 'Print exactly one JSON document on stdout, and nothing else'
complete -c credman -n "__fish_credman_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c credman -n "__fish_credman_using_subcommand help; and not __fish_seen_subcommand_from init user verify session who hash audit import config log completions help" -f -a "init" -d 'Create the database if it does not exist, and print its path'
complete -c credman -n "__fish_credman_using_subcommand help; and not __fish_seen_subcommand_from init user verify session who hash audit import config log completions help" -f -a "user" -d 'Create, list, change, lock and delete users'
complete -c credman -n "__fish_credman_using_subcommand help; and not __fish_seen_subcommand_from init user verify session who hash audit import config log completions help" -f -a "verify" -d 'Check a user\'s password; exit 0 if it is valid, 1 if not'
complete -c credman -n "__fish_credman_using_subcommand help; and not __fish_seen_subcommand_from init user verify session who hash audit import config log completions help" -f -a "session" -d 'Log users in, see their sessions, rotate, revoke and prune them'
complete -c credman -n "__fish_credman_using_subcommand help; and not __fish_seen_subcommand_from init user verify session who hash audit import config log completions help" -f -a "who" -d 'Who is logged in: one row per user with active sessions'
complete -c credman -n "__fish_credman_using_subcommand help; and not __fish_seen_subcommand_from init user verify session who hash audit import config log completions help" -f -a "hash" -d 'Make, check and identify password hashes; calibrate argon2id for this machine'
complete -c credman -n "__fish_credman_using_subcommand help; and not __fish_seen_subcommand_from init user verify session who hash audit import config log completions help" -f -a "audit" -d 'Judge stored hashes: OWASP verdict, needed rehashes, shared hashes and salts'
complete -c credman -n "__fish_credman_using_subcommand help; and not __fish_seen_subcommand_from init user verify session who hash audit import config log completions help" -f -a "import" -d 'Add users from htpasswd, /etc/shadow, CSV, JSON Lines or an app\'s SQLite'
complete -c credman -n "__fish_credman_using_subcommand help; and not __fish_seen_subcommand_from init user verify session who hash audit import config log completions help" -f -a "config" -d 'Read or change the policy shared with the web app (stored in the database)'
complete -c credman -n "__fish_credman_using_subcommand help; and not __fish_seen_subcommand_from init user verify session who hash audit import config log completions help" -f -a "log" -d 'Show the security event log, oldest first'
complete -c credman -n "__fish_credman_using_subcommand help; and not __fish_seen_subcommand_from init user verify session who hash audit import config log completions help" -f -a "completions" -d 'Print the completion script for a shell; no database needed'
complete -c credman -n "__fish_credman_using_subcommand help; and not __fish_seen_subcommand_from init user verify session who hash audit import config log completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c credman -n "__fish_credman_using_subcommand help; and __fish_seen_subcommand_from user" -f -a "add" -d 'Create a user with a password'
complete -c credman -n "__fish_credman_using_subcommand help; and __fish_seen_subcommand_from user" -f -a "list" -d 'List users, as a table or a JSON array'
complete -c credman -n "__fish_credman_using_subcommand help; and __fish_seen_subcommand_from user" -f -a "show" -d 'Show one user: dates, lock state, failed attempts, hash scheme'
complete -c credman -n "__fish_credman_using_subcommand help; and __fish_seen_subcommand_from user" -f -a "passwd" -d 'Set a user\'s password; their sessions are revoked'
complete -c credman -n "__fish_credman_using_subcommand help; and __fish_seen_subcommand_from user" -f -a "lock" -d 'Lock a user: they can no longer verify or log in'
complete -c credman -n "__fish_credman_using_subcommand help; and __fish_seen_subcommand_from user" -f -a "unlock" -d 'Unlock a user and clear their failed-attempt throttling'
complete -c credman -n "__fish_credman_using_subcommand help; and __fish_seen_subcommand_from user" -f -a "rename" -d 'Rename a user; their password, history and lock state stay'
complete -c credman -n "__fish_credman_using_subcommand help; and __fish_seen_subcommand_from user" -f -a "delete" -d 'Delete a user and their sessions (the event log keeps their history)'
complete -c credman -n "__fish_credman_using_subcommand help; and __fish_seen_subcommand_from session" -f -a "create" -d 'Log a user in from the shell: check their password and print a new session token'
complete -c credman -n "__fish_credman_using_subcommand help; and __fish_seen_subcommand_from session" -f -a "list" -d 'List active sessions (with --all, expired and revoked ones too)'
complete -c credman -n "__fish_credman_using_subcommand help; and __fish_seen_subcommand_from session" -f -a "check" -d 'Check a session token from stdin; exit 0 and print its user if it is valid'
complete -c credman -n "__fish_credman_using_subcommand help; and __fish_seen_subcommand_from session" -f -a "rotate" -d 'Give a session a new token; the old one stops working at once'
complete -c credman -n "__fish_credman_using_subcommand help; and __fish_seen_subcommand_from session" -f -a "revoke" -d 'Revoke sessions: by ID, every session of a user, or every session'
complete -c credman -n "__fish_credman_using_subcommand help; and __fish_seen_subcommand_from session" -f -a "prune" -d 'Delete expired and revoked sessions; print how many'
complete -c credman -n "__fish_credman_using_subcommand help; and __fish_seen_subcommand_from hash" -f -a "verify" -d 'Check a password against a hash; exit 0 if it matches, 1 if not'
complete -c credman -n "__fish_credman_using_subcommand help; and __fish_seen_subcommand_from hash" -f -a "identify" -d 'Say what a stored hash is: scheme, cost parameters, strength verdict; no KDF runs'
complete -c credman -n "__fish_credman_using_subcommand help; and __fish_seen_subcommand_from hash" -f -a "calibrate" -d 'Time OWASP\'s argon2id parameter sets here and recommend one for new hashes'
complete -c credman -n "__fish_credman_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "list" -d 'Show every setting, its value and its default'
complete -c credman -n "__fish_credman_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "get" -d 'Print one setting\'s value'
complete -c credman -n "__fish_credman_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "set" -d 'Change one setting (validated; the whole policy must stay consistent)'
