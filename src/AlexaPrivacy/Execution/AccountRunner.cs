// Works on the accounts of one cmdlet invocation: queues pipeline rows, runs up to ThrottleLimit of
// them in the background, and reports progress, per-row errors and a summary on the pipeline thread.
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using AlexaPrivacy.Diagnostics;
using AlexaPrivacy.Site;

namespace AlexaPrivacy.Execution
{
    internal sealed class AccountRunner
    {
        private readonly IAccountHost _cmdlet;
        private readonly string _activity;
        private readonly Queue<(AccountInput Input, Func<AccountWork, Task> Work)> _pending = new Queue<(AccountInput, Func<AccountWork, Task>)>();
        private readonly List<(Task Task, AccountWork Work)> _running = new List<(Task, AccountWork)>();
        private readonly HashSet<string> _seenAccounts = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly int _activityId = new Random().Next(1, int.MaxValue);
        private int _received, _finished, _failed, _passwordsRefused;
        private bool _progressShown;

        public AccountRunner(IAccountHost cmdlet, string activity)
        {
            _cmdlet = cmdlet;
            _activity = activity;
        }

        public int ThrottleLimit { get; set; } = 4;

        /// <summary>Set when a password or key came as plain text; the cmdlet then warns once, at the end.</summary>
        public bool PlainTextSecrets { get; set; }

        /// <summary>
        /// The checks an account row gets before any sign-in: an email, a marketplace the profile
        /// knows, and not the same account twice in this run. False (and an error for the row) when
        /// one fails. Notes plain-text secrets for the warning at the end.
        /// </summary>
        public bool Admit(ConnectRequest request, object target, bool plainTextSecrets)
        {
            if (plainTextSecrets) PlainTextSecrets = true;
            if (string.IsNullOrWhiteSpace(request.Email))
            {
                // Which row, counted from 1 in the order the rows came: its other columns may not say whose it is.
                Reject(target, AlexaException.InvalidInput($"Row {_received + 1} of the input has no email address: give an Email (or UserName, Account) column, -Email or -Credential."));
                return false;
            }
            request.Email = request.Email.Trim();
            string marketplace = SiteProfile.NormalizeMarketplace(request.Marketplace ?? SessionOpener.DefaultMarketplace);
            try
            {
                request.Profile.Marketplace(marketplace);
            }
            catch (AlexaException e)
            {
                Reject(target, e.ForAccount(request.Email));
                return false;
            }
            if (_seenAccounts.Add(request.Email + "|" + marketplace)) return true;
            Reject(target, AlexaException.InvalidInput($"The account {request.Email} on {marketplace} appears more than once in the input; only its first row was used."));
            return false;
        }

        /// <summary>Reports a row that cannot be worked on at all; it counts as done and failed.</summary>
        public void Reject(object target, AlexaException error)
        {
            _received++;
            _finished++;
            _failed++;
            string auditProblem = _cmdlet.AuditLog?.TryAppendFailure(AccountOf(target), null, error);
            if (auditProblem != null) _cmdlet.WriteWarning(auditProblem);
            _cmdlet.WriteError(error.ToErrorRecord(target));
            ReportProgress(null);
        }

        // The account a refused row names, for the audit log: its email column, or the session's account.
        private static string AccountOf(object target)
        {
            if (target is AlexaSession session) return session.Account;
            if (target is PSObject row)
            {
                foreach (string name in new[] { "Email", "UserName", "Account", "EmailAddress", "Credential" })
                {
                    string value = row.Properties[name]?.Value?.ToString();
                    if (!string.IsNullOrWhiteSpace(value)) return value;
                }
            }
            return target as string ?? "(unknown)";
        }

        /// <summary>Queues the work for one account and starts what the throttle allows.</summary>
        public void Add(AccountInput input, Func<AccountWork, Task> work)
        {
            _received++;
            input.QueuedAt = Stopwatch.GetTimestamp();
            _pending.Enqueue((input, work));
            Step();
        }

        /// <summary>Queues <paramref name="work"/> for one account, within the account's whole life (see <see cref="AccountLife"/>).</summary>
        public void AddAccount(AccountInput input, Func<AccountWork, Task> work) =>
            Add(input, account => AccountLife.RunAsync(account, work, _activity));

        private readonly Dictionary<AlexaSession, Task> _lastForSession = new Dictionary<AlexaSession, Task>();

        /// <summary>Queues <paramref name="work"/> for a session known without pipeline binding (records piped in carry theirs).</summary>
        public void AddForSession(AlexaSession session, object target, Func<AccountWork, Task> work)
        {
            // Objects of one session are worked on in the order they came, so results follow the input.
            _lastForSession.TryGetValue(session, out var previous);
            var done = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            _lastForSession[session] = done.Task;
            Add(new AccountInput { Session = session, Target = target ?? session }, async account =>
            {
                try
                {
                    if (previous != null) await previous.ConfigureAwait(false);
                    await AccountLife.RunAsync(account, work, _activity).ConfigureAwait(false);
                }
                finally
                {
                    done.TrySetResult(true);
                }
            });
        }

        /// <summary>Runs what is queued now, without waiting: called from ProcessRecord so results flow while rows arrive.</summary>
        public void Step()
        {
            try
            {
                StartWhatFits();
                _cmdlet.Dispatcher.Drain();
                Collect();
            }
            catch (PipelineStoppedException)
            {
                LetGoOfRunning();
                throw;
            }
        }

        /// <summary>How long the runner waits, once the pipeline stopped, for its accounts to let go of their sessions.</summary>
        internal static readonly TimeSpan LetGoBudget = TimeSpan.FromSeconds(15);

        /// <summary>How long the runner waits for its accounts after Ctrl+C.</summary>
        internal static readonly TimeSpan StopBudget = TimeSpan.FromSeconds(1);

        /// <summary>
        /// A downstream command stopped the pipeline (Select-Object -First) or it is being stopped:
        /// every account's work is cancelled already; wait, bounded, until each has released its
        /// session's gate and page, so that the next command on those sessions starts at once.
        /// </summary>
        private void LetGoOfRunning()
        {
            _pending.Clear();
            var tasks = _running.Select(r => r.Task).ToArray();
            _running.Clear();
            if (tasks.Length == 0) return;
            // After Ctrl+C nobody runs a next command on these sessions: their closes go on in the
            // background (each bounded) and the prompt comes back at once.
            var budget = _cmdlet.StoppedByUser ? StopBudget : LetGoBudget;
            try { Task.WaitAll(tasks, budget); } catch (AggregateException) { }
        }

        /// <summary>Waits for every account (serving their writes meanwhile), then completes the progress and sums up.</summary>
        public void Finish()
        {
            try
            {
                // Bounded: every running task ends by its watchdog (RunAsync), whatever the browser does.
                var stopped = Task.Delay(Timeout.Infinite, _cmdlet.StopToken);
                while (_pending.Count > 0 || _running.Count > 0)
                {
                    StartWhatFits();
                    if (_running.Count == 0) break;
                    // Ctrl+C ends the wait at once; an account's own unwinding (its bounded closes) is not waited for here.
                    _cmdlet.Dispatcher.Pump(Task.WhenAny(_running.Select(r => r.Task).Concat(new[] { stopped })));
                    if (_cmdlet.StopToken.IsCancellationRequested || _cmdlet.Dispatcher.IsClosed) throw new PipelineStoppedException();
                    Collect();
                }
                _cmdlet.Dispatcher.Drain();
            }
            catch (PipelineStoppedException)
            {
                LetGoOfRunning();
                throw;
            }
            if (_progressShown)
            {
                _cmdlet.WriteProgress(new ProgressRecord(_activityId, _activity, "Done") { RecordType = ProgressRecordType.Completed });
            }
            if (PlainTextSecrets)
            {
                _cmdlet.WriteWarning("Passwords or TOTP keys were read as plain text (for example from a CSV column). Prefer a saved session (-SessionPath, a SessionPath column) or a PSCredential, and keep the file out of reach.");
            }
            if (_failed > 0 && _received > 1)
            {
                // A rerun is safe for everything but a refused password: it tries that password again, and
                // Amazon locks an account after a few failed sign-ins ("Password assistance").
                string again = _passwordsRefused == 0 ? "Running the command again is safe."
                    : $"Running the command again is safe for the others, but it tries the same password again for the {_passwordsRefused} whose password Amazon refused, and repeated failures lock an account: correct those passwords (or leave those rows out) first.";
                _cmdlet.WriteWarning($"{_failed} of {_received} accounts failed; see the errors above (each names its account). {again}");
            }
        }

        private void StartWhatFits()
        {
            while (_pending.Count > 0 && _running.Count < ThrottleLimit && !_cmdlet.StopToken.IsCancellationRequested)
            {
                var (input, work) = _pending.Dequeue();
                var accountWork = new AccountWork(_cmdlet, input, _cmdlet.StopToken);
                _running.Add((Task.Run(() => RunAsync(accountWork, work)), accountWork));
                ReportProgress(input.Label);
            }
        }

        private void Collect()
        {
            for (int i = _running.Count - 1; i >= 0; i--)
            {
                if (!_running[i].Task.IsCompleted) continue;
                var work = _running[i].Work;
                _running.RemoveAt(i);
                _finished++;
                if (work.Failed) _failed++;
                if (work.PasswordRefused) _passwordsRefused++;
                ReportProgress(null);
            }
        }

        private void ReportProgress(string current)
        {
            // One account given as parameters is a console call: no progress bar for it.
            if (_received <= 1 && _pending.Count == 0) return;
            int total = _finished + _running.Count + _pending.Count;
            var record = new ProgressRecord(_activityId, _activity, $"{_finished} of {total} accounts done, {_failed} failed")
            {
                PercentComplete = total == 0 ? 0 : Math.Min(100, _finished * 100 / total),
                CurrentOperation = current == null ? null : "Working on " + current,
            };
            if (_finished > 0 && _finished < total)
            {
                // Accounts run side by side, so the elapsed time per finished account already reflects the throttle.
                double perAccount = _clock.Elapsed.TotalSeconds / _finished;
                record.SecondsRemaining = Math.Max(1, (int)Math.Ceiling(perAccount * (total - _finished)));
            }
            _progressShown = true;
            _cmdlet.WriteProgress(record);
        }

        /// <summary>How long a timed-out account's work gets to unwind (its waits see the cancellation) before it is let go.</summary>
        internal static readonly TimeSpan UnwindBudget = TimeSpan.FromSeconds(10);

        private static async Task RunAsync(AccountWork work, Func<AccountWork, Task> body)
        {
            var profile = work.Input.Session?.Profile ?? work.Input.Request?.Profile ?? SiteProfile.Resolve();
            double seconds = profile.Timeouts.AccountSeconds + (work.Input.Interactive ? profile.Timeouts.InteractiveSeconds : 0);
            // Timed phases (PhaseClock): the clock flows into the body's async work.
            var phases = PhaseClock.Begin(work.Input.QueuedAt == 0 ? -1 : (Stopwatch.GetTimestamp() - work.Input.QueuedAt) * 1000.0 / Stopwatch.Frequency);
            try
            {
                await RunTimedAsync(work, body, profile, seconds).ConfigureAwait(false);
            }
            finally
            {
                work.WriteVerbose(phases.Describe(work.Input.Label));
            }
        }

        private static async Task RunTimedAsync(AccountWork work, Func<AccountWork, Task> body, SiteProfile profile, double seconds)
        {
            var running = Task.Run(() => body(work));
            // The watchdog: time waiting for the pipeline thread (a prompt, a slow consumer) does not count.
            var limit = TimeSpan.FromSeconds(seconds);
            while (!running.IsCompleted)
            {
                var left = limit - work.BusyTime;
                if (left <= TimeSpan.Zero)
                {
                    work.TimeOut();
                    break;
                }
                await Task.WhenAny(running, Task.Delay(left < TimeSpan.FromSeconds(1) ? left : TimeSpan.FromSeconds(1))).ConfigureAwait(false);
            }
            if (work.TimedOut && !running.IsCompleted)
            {
                if (await Task.WhenAny(running, Task.Delay(UnwindBudget)).ConfigureAwait(false) != running)
                {
                    // Stuck in a call that ignores cancellation (a driver that does not answer): close what it
                    // works on, so the call fails, and stop waiting for it.
                    _ = running.ContinueWith(t => _ = t.Exception, TaskScheduler.Default);
                    var session = work.Session;
                    if (session != null)
                    {
                        _ = work.OwnsSession ? session.CloseAsync() : Browser.BrowserHost.ClosePageAsync(session.Page);
                    }
                }
                work.WriteError(AccountTimeout(work, seconds));
                return;
            }
            try
            {
                await running.ConfigureAwait(false);
            }
            catch (Exception) when (work.TimedOut)
            {
                // Whatever the cancelled or closed page threw, the cause is the watchdog.
                work.WriteError(AccountTimeout(work, seconds));
            }
            catch (OperationCanceledException) when (work.Cancel.IsCancellationRequested)
            {
                // Stopped by the user: nothing to report.
            }
            catch (AlexaException e)
            {
                work.WriteError(e); // translated already, where its page was still there for the diagnostics
            }
            catch (Exception e)
            {
                work.WriteError(AccountErrors.ForRow(e, work.Input.Label));
            }
        }

        private static AlexaException AccountTimeout(AccountWork work, double seconds) =>
            new AlexaException(AlexaErrorId.Timeout, ErrorCategory.OperationTimeout,
                $"The work for {work.Input.Label} did not finish within {seconds} s (timeouts.accountSeconds); it was stopped, and the other accounts go on.")
            {
                RecommendedAction = "Run the command again for this account; raise timeouts.accountSeconds in a site profile override when Amazon is slow from here.",
            };
    }
}
