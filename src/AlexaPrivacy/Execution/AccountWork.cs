// One account's work in a multi-account run: it runs in the background and talks to the
// pipeline only through the dispatcher (output, errors, verbose, ShouldProcess). It has its own
// cancellation: the cmdlet's (Ctrl+C, a stopped pipeline) or its watchdog's (timeouts.accountSeconds).
using System;
using System.Diagnostics;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;

namespace AlexaPrivacy.Execution
{
    internal sealed class AccountWork
    {
        private readonly IAccountHost _cmdlet;
        private readonly CancellationTokenSource _cancel;
        private readonly Stopwatch _busy = new Stopwatch();
        private int _waitingForPipeline;
        private readonly object _sync = new object();

        public AccountWork(IAccountHost cmdlet, AccountInput input, CancellationToken stop)
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

        /// <summary>True when Amazon refused this account's sign-in (AlexaAuthenticationFailed): a rerun would try the same password again.</summary>
        public bool PasswordRefused { get; private set; }

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

        public void WriteVerbose(string text) => _cmdlet.WriteVerboseFromAnyThread(text);

        public void WriteWarning(string text) => _cmdlet.Dispatcher.Post(() => _cmdlet.WriteWarning(text));

        public void WriteError(AlexaException error)
        {
            Failed = true;
            if (error.ErrorId == AlexaErrorId.AuthenticationFailed) PasswordRefused = true;
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
            OnPipelineAsync(() => _cmdlet.ShouldProcess(target, action));

        /// <summary>
        /// Confirms one change on the pipeline thread (see IAccountHost.ConfirmChange): -WhatIf shows it,
        /// a change that <paramref name="deletes"/> asks with No as the default unless <paramref name="force"/>,
        /// and Yes to All / No to All answer the rest of the command's questions.
        /// </summary>
        public Task<bool> ConfirmAsync(string description, string query, string caption, bool deletes, bool force = false) =>
            OnPipelineAsync(() => _cmdlet.ConfirmChange(description, query, caption, deletes, force));

        /// <summary>Under -WhatIf, a "What if:" line for a change that is not needed; nothing otherwise.</summary>
        public Task ExplainNothingToDoAsync(string text) =>
            OnPipelineAsync(() => { _cmdlet.ExplainNothingToDo(text); return true; });

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
