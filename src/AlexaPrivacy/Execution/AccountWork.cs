// One account's work in a multi-account run: it runs in the background and talks to the
// pipeline only through the dispatcher (output, errors, verbose, ShouldProcess). It has its own
// cancellation: the cmdlet's (Ctrl+C, a stopped pipeline) or its watchdog's (timeouts.accountSeconds).
using System;
using System.Diagnostics;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using AlexaPrivacy.Commands;

namespace AlexaPrivacy.Execution
{
    internal sealed class AccountWork
    {
        private readonly AlexaCmdlet _cmdlet;
        private readonly CancellationTokenSource _cancel;
        private readonly Stopwatch _busy = new Stopwatch();
        private int _waitingForPipeline;
        private readonly object _sync = new object();

        public AccountWork(AlexaCmdlet cmdlet, AccountInput input, CancellationToken stop)
        {
            _cmdlet = cmdlet;
            Input = input;
            _cancel = CancellationTokenSource.CreateLinkedTokenSource(stop);
            Cancel = _cancel.Token;
            _busy.Start();
        }

        public AccountInput Input { get; }

        /// <summary>Cancelled when the cmdlet stops or the watchdog gives up on this account.</summary>
        public CancellationToken Cancel { get; }

        public AlexaSession Session { get; set; }

        /// <summary>True when the session was opened for this work alone (and is closed when it ends).</summary>
        public bool OwnsSession { get; set; }

        public bool Failed { get; set; }

        /// <summary>Set by the watchdog when the account ran past timeouts.accountSeconds.</summary>
        public bool TimedOut { get; private set; }

        /// <summary>
        /// Time spent on the account's own work: time spent waiting for the pipeline thread (a
        /// confirmation prompt, a slow downstream command) does not count against the watchdog.
        /// </summary>
        public TimeSpan BusyTime
        {
            get { lock (_sync) return _busy.Elapsed; }
        }

        public void TimeOut()
        {
            TimedOut = true;
            try { _cancel.Cancel(); } catch (ObjectDisposedException) { }
        }

        /// <summary>Runs an action on the pipeline thread, for what must happen in the caller's runspace.</summary>
        public void Post(Action action) => _cmdlet.Dispatcher.Post(action);

        public void WriteObject(object value) => _cmdlet.Dispatcher.Post(() => _cmdlet.WriteObject(value));

        public void WriteVerbose(string text) => _cmdlet.VerboseFromAnyThread(text);

        public void WriteWarning(string text) => _cmdlet.Dispatcher.Post(() => _cmdlet.WriteWarning(text));

        public void WriteError(AlexaException error)
        {
            Failed = true;
            string auditProblem = _cmdlet.AuditLog?.TryAppendFailure(Session?.Account ?? Input.Label, Session?.Marketplace ?? Input.Request?.Marketplace, error);
            if (auditProblem != null) WriteWarning(auditProblem);
            var record = error.ToErrorRecord(Input.Target);
            _cmdlet.Dispatcher.Post(() => _cmdlet.WriteError(record));
        }

        /// <summary>Appends a line to the command's audit log, if it has one; a line that cannot be written is an error for this account.</summary>
        public void Audit(AuditEntry entry)
        {
            try
            {
                _cmdlet.AuditLog?.Append(entry);
            }
            catch (AlexaException e)
            {
                WriteError(e);
            }
        }

        /// <summary>
        /// Appends the line of a change about to be sent; when it cannot be written the change is not
        /// sent (the AlexaAuditLogFailed error ends this account), so the log never holds less than Amazon.
        /// </summary>
        public AuditEntry AuditBeforeSending(AuditEntry entry)
        {
            _cmdlet.AuditLog?.Append(entry);
            return entry;
        }

        /// <summary>Completes once the pipeline thread has written everything posted so far: streaming waits on it so records never pile up in memory.</summary>
        public Task FlushAsync() => OnPipelineAsync(() => true);

        public Task<bool> ShouldProcessAsync(string target, string action) =>
            OnPipelineAsync(() => _cmdlet.ShouldProcessOrExplain(() => _cmdlet.ShouldProcess(target, action), $"{action} {target}"));

        /// <summary>Asks the user a yes/no question on the pipeline thread; a host that cannot ask is an AlexaConfirmationRequired error.</summary>
        public Task<bool> ShouldContinueAsync(string query, string caption) =>
            _cmdlet.Dispatcher.InvokeAsync(() => _cmdlet.ShouldProcessOrExplain(() => _cmdlet.ShouldContinue(query, caption), query));

        public Task<bool> ShouldProcessAsync(string description, string warning, string caption) =>
            OnPipelineAsync(() => _cmdlet.ShouldProcessOrExplain(() => _cmdlet.ShouldProcess(description, warning, caption), description));

        /// <summary>
        /// Asks the user (ShouldContinue) after ShouldProcess unless <paramref name="force"/>, as a command with a high
        /// confirm impact would; -WhatIf and -Confirm:$false work as for ShouldProcess. Where no one can be
        /// asked, AlexaConfirmationRequired.
        /// </summary>
        public Task<bool> ShouldProcessOrContinueAsync(string description, string warning, string caption, bool force) =>
            OnPipelineAsync(() =>
            {
                if (!_cmdlet.ShouldProcessOrExplain(() => _cmdlet.ShouldProcess(description, warning, caption), description)) return false;
                if (force || ConfirmedByPreference()) return true;
                return _cmdlet.ShouldProcessOrExplain(() => _cmdlet.ShouldContinue(warning, caption), description);
            });

        // ShouldProcess has already asked when -Confirm was given or $ConfirmPreference is Medium or lower;
        // -Confirm:$false says "do not ask".
        private bool ConfirmedByPreference()
        {
            if (_cmdlet.MyInvocation.BoundParameters.ContainsKey("Confirm")) return true;
            var preference = _cmdlet.SessionState.PSVariable.GetValue("ConfirmPreference");
            return preference is ConfirmImpact impact && impact <= ConfirmImpact.Medium;
        }

        private async Task<T> OnPipelineAsync<T>(Func<T> function)
        {
            Pause();
            try
            {
                return await _cmdlet.Dispatcher.InvokeAsync(function).ConfigureAwait(false);
            }
            finally
            {
                Resume();
            }
        }

        private void Pause()
        {
            lock (_sync) if (_waitingForPipeline++ == 0) _busy.Stop();
        }

        private void Resume()
        {
            lock (_sync) if (--_waitingForPipeline == 0) _busy.Start();
        }
    }
}
