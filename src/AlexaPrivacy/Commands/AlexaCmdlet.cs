// The thin base of every cmdlet: cancellation on Ctrl+C, a dispatcher so that background work
// writes only on the pipeline thread, and errors turned into records with the input as target.
using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using AlexaPrivacy.Execution;
using Microsoft.Playwright;

namespace AlexaPrivacy.Commands
{
    public abstract class AlexaCmdlet : PSCmdlet, IDisposable
    {
        private readonly CancellationTokenSource _stopping = new CancellationTokenSource();
        private PipelineDispatcher _dispatcher;

        internal CancellationToken StopToken => _stopping.Token;

        internal PipelineDispatcher Dispatcher => _dispatcher ?? (_dispatcher = new PipelineDispatcher());

        /// <summary>The audit trail of a changing cmdlet (-AuditLogPath, $env:ALEXAPRIVACY_AUDIT_LOG); null when there is none.</summary>
        internal AuditLog AuditLog { get; set; }

        protected override void BeginProcessing()
        {
            _ = Dispatcher; // created on the pipeline thread, which it remembers
        }

        protected override void StopProcessing() => _stopping.Cancel();

        /// <summary>Runs async work off the pipeline thread while this thread serves its writes; returns its result.</summary>
        internal T RunOnPipeline<T>(Func<CancellationToken, Task<T>> work)
        {
            var task = Task.Run(() => work(StopToken));
            Dispatcher.Pump(task);
            try
            {
                return task.GetAwaiter().GetResult();
            }
            catch (OperationCanceledException) when (StopToken.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
        }

        /// <summary>
        /// The current input as an error's target object: the bound parameters of this record
        /// (a CSV row's columns), with every secret replaced so that error logs cannot hold one.
        /// A compiled cmdlet has no $_, so the row is rebuilt from what bound.
        /// </summary>
        internal PSObject DescribeInput()
        {
            var row = new PSObject();
            foreach (var pair in MyInvocation.BoundParameters)
            {
                object value = pair.Value;
                if (value is System.Security.SecureString) value = "(secret)";
                else if (value is PSCredential credential) value = credential.UserName;
                row.Properties.Add(new PSNoteProperty(pair.Key, value));
            }
            return row;
        }

        /// <summary>Writes verbose text from any thread.</summary>
        internal void VerboseFromAnyThread(string text) => Dispatcher.Post(() => WriteVerbose(text));

        internal static AlexaException Translate(Exception e, string account)
        {
            switch (e)
            {
                case AlexaException alexa:
                    return alexa;
                case AggregateException aggregate when aggregate.InnerExceptions.Count == 1:
                    return Translate(aggregate.InnerException, account);
                case TimeoutException timeout:
                    return new AlexaException(AlexaErrorId.Timeout, ErrorCategory.OperationTimeout,
                        $"A page did not answer in time for {account}: {FirstLine(timeout.Message)}", timeout);
                case PlaywrightException playwright:
                    return new AlexaException(AlexaErrorId.PageChanged, ErrorCategory.InvalidResult,
                        $"The browser reported a problem for {account}: {FirstLine(playwright.Message)}", playwright);
                default:
                    return null;
            }
        }

        private static string FirstLine(string text)
        {
            int newline = text.IndexOf('\n');
            return newline < 0 ? text : text.Substring(0, newline).TrimEnd();
        }

        public void Dispose()
        {
            // A pipeline ended by an error (-ErrorAction Stop) never calls StopProcessing: stop the
            // accounts still running so they close their contexts. The source stays undisposed
            // because that background work still reads its token.
            _stopping.Cancel();
            _dispatcher?.Dispose();
        }
    }
}
