
use builtin;
use str;

set edit:completion:arg-completer[credman] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'credman'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'credman'= {
            cand --db 'The database file [default: <data dir>/credman/credman.db]'
            cand --json 'Print exactly one JSON document on stdout, and nothing else'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand init 'Create the database if it does not exist, and print its path'
            cand user 'Create, list, change, lock and delete users'
            cand verify 'Check a user''s password; exit 0 if it is valid, 1 if not'
            cand session 'Log users in, see their sessions, rotate, revoke and prune them'
            cand who 'Who is logged in: one row per user with active sessions'
            cand hash 'Make, check and identify password hashes; calibrate argon2id for this machine'
            cand audit 'Judge stored hashes: OWASP verdict, needed rehashes, shared hashes and salts'
            cand import 'Add users from htpasswd, /etc/shadow, CSV, JSON Lines or an app''s SQLite'
            cand config 'Read or change the policy shared with the web app (stored in the database)'
            cand log 'Show the security event log, oldest first'
            cand completions 'Print the completion script for a shell; no database needed'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'credman;init'= {
            cand --db 'The database file [default: <data dir>/credman/credman.db]'
            cand --json 'Print exactly one JSON document on stdout, and nothing else'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'credman;user'= {
            cand --db 'The database file [default: <data dir>/credman/credman.db]'
            cand --json 'Print exactly one JSON document on stdout, and nothing else'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand add 'Create a user with a password'
            cand list 'List users, as a table or a JSON array'
            cand show 'Show one user: dates, lock state, failed attempts, hash scheme'
            cand passwd 'Set a user''s password; their sessions are revoked'
            cand lock 'Lock a user: they can no longer verify or log in'
            cand unlock 'Unlock a user and clear their failed-attempt throttling'
            cand rename 'Rename a user; their password, history and lock state stay'
            cand delete 'Delete a user and their sessions (the event log keeps their history)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'credman;user;add'= {
            cand --db 'The database file [default: <data dir>/credman/credman.db]'
            cand --password-stdin 'Read the password from the first line of standard input instead of prompting'
            cand --generate 'Generate a random password (24 characters from the OS''s CSPRNG, or password.min_length if longer) and print it once'
            cand --allow-weak 'Accept a password the policy refuses (recorded in the event log)'
            cand --json 'Print exactly one JSON document on stdout, and nothing else'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'credman;user;list'= {
            cand --db 'The database file [default: <data dir>/credman/credman.db]'
            cand --locked 'Only locked users'
            cand --json 'Print exactly one JSON document on stdout, and nothing else'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'credman;user;show'= {
            cand --db 'The database file [default: <data dir>/credman/credman.db]'
            cand --json 'Print exactly one JSON document on stdout, and nothing else'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'credman;user;passwd'= {
            cand --db 'The database file [default: <data dir>/credman/credman.db]'
            cand --password-stdin 'Read the password from the first line of standard input instead of prompting'
            cand --generate 'Generate a random password (24 characters from the OS''s CSPRNG, or password.min_length if longer) and print it once'
            cand --allow-weak 'Accept a password the policy refuses (recorded in the event log)'
            cand --json 'Print exactly one JSON document on stdout, and nothing else'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'credman;user;lock'= {
            cand --reason 'Why, for the record (shown by `user show` and in the event log)'
            cand --db 'The database file [default: <data dir>/credman/credman.db]'
            cand --json 'Print exactly one JSON document on stdout, and nothing else'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'credman;user;unlock'= {
            cand --db 'The database file [default: <data dir>/credman/credman.db]'
            cand --json 'Print exactly one JSON document on stdout, and nothing else'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'credman;user;rename'= {
            cand --db 'The database file [default: <data dir>/credman/credman.db]'
            cand --json 'Print exactly one JSON document on stdout, and nothing else'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'credman;user;delete'= {
            cand --db 'The database file [default: <data dir>/credman/credman.db]'
            cand -y 'Do not ask for confirmation'
            cand --yes 'Do not ask for confirmation'
            cand --json 'Print exactly one JSON document on stdout, and nothing else'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'credman;user;help'= {
            cand add 'Create a user with a password'
            cand list 'List users, as a table or a JSON array'
            cand show 'Show one user: dates, lock state, failed attempts, hash scheme'
            cand passwd 'Set a user''s password; their sessions are revoked'
            cand lock 'Lock a user: they can no longer verify or log in'
            cand unlock 'Unlock a user and clear their failed-attempt throttling'
            cand rename 'Rename a user; their password, history and lock state stay'
            cand delete 'Delete a user and their sessions (the event log keeps their history)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'credman;user;help;add'= {
        }
        &'credman;user;help;list'= {
        }
        &'credman;user;help;show'= {
        }
        &'credman;user;help;passwd'= {
        }
        &'credman;user;help;lock'= {
        }
        &'credman;user;help;unlock'= {
        }
        &'credman;user;help;rename'= {
        }
        &'credman;user;help;delete'= {
        }
        &'credman;user;help;help'= {
        }
        &'credman;verify'= {
            cand --db 'The database file [default: <data dir>/credman/credman.db]'
            cand --password-stdin 'Read the password from the first line of standard input instead of prompting'
            cand --explain 'Say why a denial happened, on stderr (for an admin at a terminal; never pass this through to a client)'
            cand --json 'Print exactly one JSON document on stdout, and nothing else'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'credman;session'= {
            cand --db 'The database file [default: <data dir>/credman/credman.db]'
            cand --json 'Print exactly one JSON document on stdout, and nothing else'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand create 'Log a user in from the shell: check their password and print a new session token'
            cand list 'List active sessions (with --all, expired and revoked ones too)'
            cand check 'Check a session token from stdin; exit 0 and print its user if it is valid'
            cand rotate 'Give a session a new token; the old one stops working at once'
            cand revoke 'Revoke sessions: by ID, every session of a user, or every session'
            cand prune 'Delete expired and revoked sessions; print how many'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'credman;session;create'= {
            cand --ttl 'Absolute lifetime (90s, 30m, 12h, 7d) [default: session.ttl]'
            cand --idle 'Idle timeout [default: session.idle]'
            cand --label 'A note shown in session lists, e.g. the device'
            cand --db 'The database file [default: <data dir>/credman/credman.db]'
            cand --password-stdin 'Read the password from the first line of standard input instead of prompting'
            cand --no-verify 'Do not check a password: an admin issuing a session (the event log records it)'
            cand --json 'Print exactly one JSON document on stdout, and nothing else'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'credman;session;list'= {
            cand --user 'Only this user''s sessions'
            cand --db 'The database file [default: <data dir>/credman/credman.db]'
            cand --all 'Include expired and revoked sessions'
            cand --json 'Print exactly one JSON document on stdout, and nothing else'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'credman;session;check'= {
            cand --db 'The database file [default: <data dir>/credman/credman.db]'
            cand --json 'Print exactly one JSON document on stdout, and nothing else'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'credman;session;rotate'= {
            cand --user 'Rotate every active session of this user'
            cand --db 'The database file [default: <data dir>/credman/credman.db]'
            cand --json 'Print exactly one JSON document on stdout, and nothing else'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'credman;session;revoke'= {
            cand --user 'Revoke every session of this user'
            cand --db 'The database file [default: <data dir>/credman/credman.db]'
            cand --all 'Revoke every session of every user'
            cand --json 'Print exactly one JSON document on stdout, and nothing else'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'credman;session;prune'= {
            cand --db 'The database file [default: <data dir>/credman/credman.db]'
            cand --json 'Print exactly one JSON document on stdout, and nothing else'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'credman;session;help'= {
            cand create 'Log a user in from the shell: check their password and print a new session token'
            cand list 'List active sessions (with --all, expired and revoked ones too)'
            cand check 'Check a session token from stdin; exit 0 and print its user if it is valid'
            cand rotate 'Give a session a new token; the old one stops working at once'
            cand revoke 'Revoke sessions: by ID, every session of a user, or every session'
            cand prune 'Delete expired and revoked sessions; print how many'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'credman;session;help;create'= {
        }
        &'credman;session;help;list'= {
        }
        &'credman;session;help;check'= {
        }
        &'credman;session;help;rotate'= {
        }
        &'credman;session;help;revoke'= {
        }
        &'credman;session;help;prune'= {
        }
        &'credman;session;help;help'= {
        }
        &'credman;who'= {
            cand --db 'The database file [default: <data dir>/credman/credman.db]'
            cand --json 'Print exactly one JSON document on stdout, and nothing else'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'credman;hash'= {
            cand --scheme 'The hash format to write'
            cand --db 'The database file [default: <data dir>/credman/credman.db]'
            cand --password-stdin 'Read the password from the first line of standard input instead of prompting'
            cand --json 'Print exactly one JSON document on stdout, and nothing else'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand verify 'Check a password against a hash; exit 0 if it matches, 1 if not'
            cand identify 'Say what a stored hash is: scheme, cost parameters, strength verdict; no KDF runs'
            cand calibrate 'Time OWASP''s argon2id parameter sets here and recommend one for new hashes'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'credman;hash;verify'= {
            cand --db 'The database file [default: <data dir>/credman/credman.db]'
            cand --password-stdin 'Read the password from the first line of standard input instead of prompting'
            cand --json 'Print exactly one JSON document on stdout, and nothing else'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'credman;hash;identify'= {
            cand --db 'The database file [default: <data dir>/credman/credman.db]'
            cand --json 'Print exactly one JSON document on stdout, and nothing else'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'credman;hash;calibrate'= {
            cand --target 'The longest a password hash may take here (1ms to 10s, like 100ms, 250ms, 1s)'
            cand --samples 'Timed runs per parameter set, after one warm-up run; the median counts'
            cand --db 'The database file [default: <data dir>/credman/credman.db]'
            cand --apply 'Store the recommendation as the policy for new hashes (creates the database if needed)'
            cand --json 'Print exactly one JSON document on stdout, and nothing else'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'credman;hash;help'= {
            cand verify 'Check a password against a hash; exit 0 if it matches, 1 if not'
            cand identify 'Say what a stored hash is: scheme, cost parameters, strength verdict; no KDF runs'
            cand calibrate 'Time OWASP''s argon2id parameter sets here and recommend one for new hashes'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'credman;hash;help;verify'= {
        }
        &'credman;hash;help;identify'= {
        }
        &'credman;hash;help;calibrate'= {
        }
        &'credman;hash;help;help'= {
        }
        &'credman;audit'= {
            cand --fail-on 'Exit 1 when a finding is at least this bad'
            cand --stale 'Only users whose hash needs a rehash and who have not logged in for DAYS'
            cand --format 'The file''s format: lines holds one bare hash per line'
            cand --db 'The database file [default: <data dir>/credman/credman.db]'
            cand --json 'Print exactly one JSON document on stdout, and nothing else'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'credman;import'= {
            cand --format 'The file''s format'
            cand --sqlite 'Read the users from this SQLite database (opened read-only) instead of a file'
            cand --query 'With --sqlite: a SELECT whose first two columns are the user name and the stored hash'
            cand --db 'The database file [default: <data dir>/credman/credman.db]'
            cand --update 'Replace the hash of users that already exist (their sessions are revoked)'
            cand --atomic 'All or nothing: import no user at all if any line is bad'
            cand --dry-run 'Report what would happen, change nothing'
            cand --json 'Print exactly one JSON document on stdout, and nothing else'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'credman;config'= {
            cand --db 'The database file [default: <data dir>/credman/credman.db]'
            cand --json 'Print exactly one JSON document on stdout, and nothing else'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand list 'Show every setting, its value and its default'
            cand get 'Print one setting''s value'
            cand set 'Change one setting (validated; the whole policy must stay consistent)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'credman;config;list'= {
            cand --db 'The database file [default: <data dir>/credman/credman.db]'
            cand --json 'Print exactly one JSON document on stdout, and nothing else'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'credman;config;get'= {
            cand --db 'The database file [default: <data dir>/credman/credman.db]'
            cand --json 'Print exactly one JSON document on stdout, and nothing else'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'credman;config;set'= {
            cand --db 'The database file [default: <data dir>/credman/credman.db]'
            cand --json 'Print exactly one JSON document on stdout, and nothing else'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'credman;config;help'= {
            cand list 'Show every setting, its value and its default'
            cand get 'Print one setting''s value'
            cand set 'Change one setting (validated; the whole policy must stay consistent)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'credman;config;help;list'= {
        }
        &'credman;config;help;get'= {
        }
        &'credman;config;help;set'= {
        }
        &'credman;config;help;help'= {
        }
        &'credman;log'= {
            cand --user 'Only events about this user'
            cand --since 'Only events newer than this (90s, 30m, 12h, 7d, 1h30m)'
            cand --limit 'Show at most this many of the newest events'
            cand --db 'The database file [default: <data dir>/credman/credman.db]'
            cand --json 'Print exactly one JSON document on stdout, and nothing else'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'credman;completions'= {
            cand --db 'The database file [default: <data dir>/credman/credman.db]'
            cand --json 'Print exactly one JSON document on stdout, and nothing else'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'credman;help'= {
            cand init 'Create the database if it does not exist, and print its path'
            cand user 'Create, list, change, lock and delete users'
            cand verify 'Check a user''s password; exit 0 if it is valid, 1 if not'
            cand session 'Log users in, see their sessions, rotate, revoke and prune them'
            cand who 'Who is logged in: one row per user with active sessions'
            cand hash 'Make, check and identify password hashes; calibrate argon2id for this machine'
            cand audit 'Judge stored hashes: OWASP verdict, needed rehashes, shared hashes and salts'
            cand import 'Add users from htpasswd, /etc/shadow, CSV, JSON Lines or an app''s SQLite'
            cand config 'Read or change the policy shared with the web app (stored in the database)'
            cand log 'Show the security event log, oldest first'
            cand completions 'Print the completion script for a shell; no database needed'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'credman;help;init'= {
        }
        &'credman;help;user'= {
            cand add 'Create a user with a password'
            cand list 'List users, as a table or a JSON array'
            cand show 'Show one user: dates, lock state, failed attempts, hash scheme'
            cand passwd 'Set a user''s password; their sessions are revoked'
            cand lock 'Lock a user: they can no longer verify or log in'
            cand unlock 'Unlock a user and clear their failed-attempt throttling'
            cand rename 'Rename a user; their password, history and lock state stay'
            cand delete 'Delete a user and their sessions (the event log keeps their history)'
        }
        &'credman;help;user;add'= {
        }
        &'credman;help;user;list'= {
        }
        &'credman;help;user;show'= {
        }
        &'credman;help;user;passwd'= {
        }
        &'credman;help;user;lock'= {
        }
        &'credman;help;user;unlock'= {
        }
        &'credman;help;user;rename'= {
        }
        &'credman;help;user;delete'= {
        }
        &'credman;help;verify'= {
        }
        &'credman;help;session'= {
            cand create 'Log a user in from the shell: check their password and print a new session token'
            cand list 'List active sessions (with --all, expired and revoked ones too)'
            cand check 'Check a session token from stdin; exit 0 and print its user if it is valid'
            cand rotate 'Give a session a new token; the old one stops working at once'
            cand revoke 'Revoke sessions: by ID, every session of a user, or every session'
            cand prune 'Delete expired and revoked sessions; print how many'
        }
        &'credman;help;session;create'= {
        }
        &'credman;help;session;list'= {
        }
        &'credman;help;session;check'= {
        }
        &'credman;help;session;rotate'= {
        }
        &'credman;help;session;revoke'= {
        }
        &'credman;help;session;prune'= {
        }
        &'credman;help;who'= {
        }
        &'credman;help;hash'= {
            cand verify 'Check a password against a hash; exit 0 if it matches, 1 if not'
            cand identify 'Say what a stored hash is: scheme, cost parameters, strength verdict; no KDF runs'
            cand calibrate 'Time OWASP''s argon2id parameter sets here and recommend one for new hashes'
        }
        &'credman;help;hash;verify'= {
        }
        &'credman;help;hash;identify'= {
        }
        &'credman;help;hash;calibrate'= {
        }
        &'credman;help;audit'= {
        }
        &'credman;help;import'= {
        }
        &'credman;help;config'= {
            cand list 'Show every setting, its value and its default'
            cand get 'Print one setting''s value'
            cand set 'Change one setting (validated; the whole policy must stay consistent)'
        }
        &'credman;help;config;list'= {
        }
        &'credman;help;config;get'= {
        }
        &'credman;help;config;set'= {
        }
        &'credman;help;log'= {
        }
        &'credman;help;completions'= {
        }
        &'credman;help;help'= {
        }
    ]
    $completions[$command]
}
