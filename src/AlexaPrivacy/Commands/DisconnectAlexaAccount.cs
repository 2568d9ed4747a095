// Disconnect-AlexaAccount: closes a session's browser context, optionally signing out at Amazon.
using System;
using System.Management.Automation;
using AlexaPrivacy.Execution;
using AlexaPrivacy.Pages;

namespace AlexaPrivacy.Commands
{
    [Cmdlet(VerbsCommunications.Disconnect, "AlexaAccount", DefaultParameterSetName = SessionSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(void))]
    public sealed class DisconnectAlexaAccountCommand : AlexaCmdlet
    {
        private const string SessionSet = "Session";
        private const string AllSet = "All";

        [Parameter(ParameterSetName = SessionSet, Position = 0, ValueFromPipeline = true)]
        [ArgumentCompleter(typeof(SessionCompleter))]
        [ValidateNotNull]
        public AlexaSession Session { get; set; }

        /// <summary>Closes every open session of this PowerShell session (Get-AlexaSession lists them).</summary>
        [Parameter(ParameterSetName = AllSet, Mandatory = true)]
        public SwitchParameter All { get; set; }

        /// <summary>Also end the sign-in at Amazon, so a saved session file no longer works.</summary>
        [Parameter]
        public SwitchParameter SignOut { get; set; }

        protected override void ProcessRecord()
        {
            if (All)
            {
                var sessions = SessionRegistry.All();
                if (sessions.Count == 0) WriteVerbose("There is no open Alexa session to close.");
                foreach (var open in sessions) Close(open);
                return;
            }
            var session = Session ?? SessionRegistry.GetCurrent();
            if (session == null)
            {
                WriteVerbose("There is no current Alexa session to close.");
                return;
            }
            Close(session);
        }

        private void Close(AlexaSession session)
        {
            try
            {
                if (!ShouldProcessOrExplain(() => ShouldProcess(session.Account, SignOut ? "Sign out and close the session" : "Close the session"), $"Close the session of {session.Account}")) return;
            }
            catch (AlexaException e)
            {
                WriteError(e.ToErrorRecord(session));
                return;
            }
            if (SignOut && session.IsOpen)
            {
                try
                {
                    RunOnPipeline(async cancel =>
                    {
                        var page = await SessionOpener.PageAsync(session, cancel);
                        await page.GotoAsync(new Uri(session.BaseUri, session.Profile.Paths.SignOut).AbsoluteUri).WithCancellation(cancel);
                        return true;
                    });
                    if (!string.IsNullOrEmpty(session.SessionPath) && System.IO.File.Exists(session.SessionPath))
                    {
                        System.IO.File.Delete(session.SessionPath);
                    }
                    Security.SessionStore.RemoveLegacySideFile(session.SessionPath);
                }
                catch (Exception e) when (!(e is PipelineStoppedException))
                {
                    var error = AccountErrors.Translate(e, session.Account);
                    if (error == null) throw;
                    WriteError(error.ToErrorRecord(session));
                }
            }
            session.Dispose();
            SessionRegistry.ClearIf(session);
        }
    }
}
