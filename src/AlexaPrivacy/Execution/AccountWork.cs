// One account's work in a multi-account run: it runs in the background and talks to the
// pipeline only through the dispatcher (output, errors, verbose, ShouldProcess).
using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using AlexaPrivacy.Commands;

namespace AlexaPrivacy.Execution
{
    internal sealed class AccountWork
    {
        private readonly AlexaCmdlet _cmdlet;

        public AccountWork(AlexaCmdlet cmdlet, AccountInput input, CancellationToken cancel)
        {
            _cmdlet = cmdlet;
            Input = input;
            Cancel = cancel;
        }

        public AccountInput Input { get; }

        public CancellationToken Cancel { get; }

        public AlexaSession Session { get; set; }

        public bool Failed { get; set; }

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

        /// <summary>Completes once the pipeline thread has written everything posted so far: streaming waits on it so records never pile up in memory.</summary>
        public Task FlushAsync() => _cmdlet.Dispatcher.InvokeAsync(() => true);

        public Task<bool> ShouldProcessAsync(string target, string action) =>
            _cmdlet.Dispatcher.InvokeAsync(() => _cmdlet.ShouldProcessOrExplain(() => _cmdlet.ShouldProcess(target, action), $"{action} {target}"));

        /// <summary>Asks the user a yes/no question on the pipeline thread; a host that cannot ask is an AlexaConfirmationRequired error.</summary>
        public Task<bool> ShouldContinueAsync(string query, string caption) =>
            _cmdlet.Dispatcher.InvokeAsync(() => _cmdlet.ShouldProcessOrExplain(() => _cmdlet.ShouldContinue(query, caption), query));

        public Task<bool> ShouldProcessAsync(string description, string warning, string caption) =>
            _cmdlet.Dispatcher.InvokeAsync(() => _cmdlet.ShouldProcessOrExplain(() => _cmdlet.ShouldProcess(description, warning, caption), description));
    }
}
