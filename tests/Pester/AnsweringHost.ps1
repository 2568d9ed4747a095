# A PowerShell host for tests that answers every confirmation prompt with one choice ("Yes",
# "No", "Yes to All", or "Enter" for the prompt's default, as Enter alone at a console), counts
# the prompts and records the choices each offered, and can call the replica's admin API while a prompt is open: the
# moment a command waits for the user is the one place a test can act in the middle of it.
if (-not ('AlexaPrivacyTests.AnsweringHost' -as [type])) {
    Add-Type -TypeDefinition @'
using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Net.Http;
using System.Security;
using System.Text;

namespace AlexaPrivacyTests
{
    public sealed class AnsweringHost : PSHost
    {
        private readonly AnsweringUI _ui;
        private readonly Guid _id = Guid.NewGuid();
        public AnsweringHost(string answer, string postUrl, string postBody) { _ui = new AnsweringUI(answer, postUrl, postBody); }
        public AnsweringUI Answers { get { return _ui; } }
        public override string Name { get { return "AnsweringHost"; } }
        public override Version Version { get { return new Version(1, 0); } }
        public override Guid InstanceId { get { return _id; } }
        public override PSHostUserInterface UI { get { return _ui; } }
        public override CultureInfo CurrentCulture { get { return CultureInfo.InvariantCulture; } }
        public override CultureInfo CurrentUICulture { get { return CultureInfo.InvariantCulture; } }
        public override void SetShouldExit(int exitCode) { }
        public override void EnterNestedPrompt() { throw new NotSupportedException(); }
        public override void ExitNestedPrompt() { }
        public override void NotifyBeginApplication() { }
        public override void NotifyEndApplication() { }
    }

    public sealed class AnsweringUI : PSHostUserInterface
    {
        private readonly string _answer, _url, _body;
        public AnsweringUI(string answer, string url, string body) { _answer = answer; _url = url; _body = body; }
        public List<string> Prompts { get; } = new List<string>();
        // Per prompt: its choices' labels, the default one marked with "*" ("Yes|Yes to All|*No|No to All|Suspend").
        public List<string> Choices { get; } = new List<string>();
        public override PSHostRawUserInterface RawUI { get { return null; } }

        public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice)
        {
            var labels = new List<string>();
            for (int i = 0; i < choices.Count; i++) labels.Add((i == defaultChoice ? "*" : "") + choices[i].Label.Replace("&", ""));
            lock (Prompts) { Prompts.Add(message); Choices.Add(string.Join("|", labels)); }
            if (!string.IsNullOrEmpty(_url))
            {
                using (var client = new HttpClient())
                {
                    client.PostAsync(_url, new StringContent(_body, Encoding.UTF8, "application/json")).GetAwaiter().GetResult().EnsureSuccessStatusCode();
                }
            }
            if (_answer == "Enter")
            {
                if (defaultChoice < 0) throw new InvalidOperationException("The prompt has no default: Enter alone answers nothing.");
                return defaultChoice;
            }
            for (int i = 0; i < choices.Count; i++)
            {
                if (string.Equals(choices[i].Label.Replace("&", ""), _answer, StringComparison.OrdinalIgnoreCase)) return i;
            }
            throw new InvalidOperationException("No choice named " + _answer);
        }

        public override string ReadLine() { throw new NotSupportedException(); }
        public override SecureString ReadLineAsSecureString() { throw new NotSupportedException(); }
        public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions) { throw new NotSupportedException(); }
        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) { throw new NotSupportedException(); }
        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName, PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) { throw new NotSupportedException(); }
        // What the host was given to show (the "What if:" lines of -WhatIf among them), a line each.
        public List<string> Lines { get; } = new List<string>();
        public override void Write(string value) { }
        public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) { }
        public override void WriteLine(string value) { lock (Lines) Lines.Add(value); }
        public override void WriteErrorLine(string value) { }
        public override void WriteDebugLine(string message) { }
        public override void WriteProgress(long sourceId, ProgressRecord record) { }
        public override void WriteVerboseLine(string message) { }
        public override void WriteWarningLine(string message) { }
    }
}
'@
}

# Runs a script with the module in a runspace whose host answers every prompt with $Answer; bounded.
function Invoke-WithAnswer {
    param([string] $Answer, [scriptblock] $Script, [object[]] $Arguments = @(), [string] $PostUrl, $PostBody, [int] $Seconds = 120)
    $body = if ($null -ne $PostBody) { $PostBody | ConvertTo-Json -Depth 10 -Compress } else { $null }
    $host_ = [AlexaPrivacyTests.AnsweringHost]::new($Answer, $PostUrl, $body)
    $runspace = [runspacefactory]::CreateRunspace($host_)
    $runspace.Open()
    $ps = [powershell]::Create()
    $ps.Runspace = $runspace
    try {
        $null = $ps.AddScript("Import-Module '$ModulePath'").AddStatement().AddScript($Script)
        foreach ($a in $Arguments) { $null = $ps.AddArgument($a) }
        $handle = $ps.BeginInvoke()
        if (-not $handle.AsyncWaitHandle.WaitOne($Seconds * 1000)) {
            $null = $ps.BeginStop($null, $null)
            throw "The command did not return within $Seconds s."
        }
        $output = $ps.EndInvoke($handle)
        [pscustomobject]@{
            Output   = @($output)
            Errors   = @($ps.Streams.Error)
            Warnings = @($ps.Streams.Warning)
            Prompts  = @($host_.Answers.Prompts)
            Choices  = @($host_.Answers.Choices)
            Lines    = @($host_.Answers.Lines)
        }
    }
    finally {
        $ps.Dispose()
        $runspace.Dispose()
    }
}
