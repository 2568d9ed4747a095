// Get-AlexaVoiceHistory: the voice recordings Amazon keeps, newest first, streamed page by page
// from the "Review Voice History" page of each account.
using System;
using System.Management.Automation;
using AlexaPrivacy.Execution;

namespace AlexaPrivacy.Commands
{
    [Cmdlet(VerbsCommon.Get, "AlexaVoiceHistory", DefaultParameterSetName = SessionSet)]
    [OutputType(typeof(AlexaVoiceRecord))]
    public sealed class GetAlexaVoiceHistoryCommand : AlexaAccountCmdlet
    {
        /// <summary>Only records at or after this time.</summary>
        [Parameter]
        public DateTime? After { get; set; }

        /// <summary>Only records before this time.</summary>
        [Parameter]
        public DateTime? Before { get; set; }

        /// <summary>Only records of this device (its name as the page shows it).</summary>
        [Parameter]
        [ArgumentCompleter(typeof(DeviceCompleter))]
        [ValidateNotNullOrEmpty]
        public string Device { get; set; }

        /// <summary>Only records whose transcript or response contains this text.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string Contains { get; set; }

        /// <summary>At most this many records per account.</summary>
        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int First { get; set; } = int.MaxValue;

        private VoiceHistoryQuery _query;

        protected override string Activity => "Reading Alexa voice history";

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            try
            {
                _query = VoiceHistoryQuery.From(After, Before, Device, Contains);
            }
            catch (AlexaException e)
            {
                ThrowTerminatingError(e.ToErrorRecord(After));
            }
        }

        protected override void ProcessRecord()
        {
            var query = _query;
            int first = First;
            Enqueue(async work =>
            {
                int count = await query.StreamAsync(work, first, work.WriteObject);
                work.WriteVerbose($"{count} voice record(s) of {work.Session.Account} matched.");
            });
        }
    }
}
