# samples/Enforce-AlexaPrivacyPolicy.ps1 as a timer runs it: a child pwsh -NonInteractive -File with
# saved sessions only, exit code 0 when every account is compliant and 1 when one fails.
BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    Import-Module $ModulePath -Force
    $script:Replica = Start-TestReplica
    $script:Base = $Replica.BaseUri
    $script:Sample = Join-Path $PSScriptRoot '../../samples/Enforce-AlexaPrivacyPolicy.ps1'

    function Invoke-Enforcement {
        param([string[]] $Arguments)
        $self = Get-Process -Id $PID
        $info = [System.Diagnostics.ProcessStartInfo]::new($self.Path)
        if ($self.ProcessName -eq 'dotnet') { $info.ArgumentList.Add((Join-Path $PSHOME 'pwsh.dll')) }
        foreach ($a in @('-NoProfile', '-NonInteractive', '-File', $Sample) + $Arguments) { $info.ArgumentList.Add($a) }
        $info.RedirectStandardOutput = $true
        $info.RedirectStandardError = $true
        $info.RedirectStandardInput = $true
        $info.UseShellExecute = $false
        $process = [System.Diagnostics.Process]::Start($info)
        $process.StandardInput.Close()   # nobody is there to answer a prompt
        $out = $process.StandardOutput.ReadToEndAsync()
        $err = $process.StandardError.ReadToEndAsync()
        if (-not $process.WaitForExit(300000)) { $process.Kill($true); throw 'The enforcement script did not finish within 300 s.' }
        [pscustomobject]@{ ExitCode = $process.ExitCode; Output = $out.Result; Errors = $err.Result }
    }
}

AfterAll {
    Get-Module AlexaPrivacy | Remove-Module -Force
    Stop-TestReplica $Replica
}

Describe 'Enforce-AlexaPrivacyPolicy.ps1 (unattended)' {
    It 'applies the policy with saved sessions and exits 0, then exits 1 when an account fails, and the report names the failed account' {
        $policy = Join-Path $TestDrive 'policy.psd1'
        Set-Content $policy "@{`n    VoiceRecordingReview = 'Off'`n    VoiceRecordingRetention = 'ThreeMonths'`n}"
        $accounts = foreach ($i in 1..5) { New-ReplicaAccount $Replica -Settings @{ VoiceRecordingReview = $true; VoiceRecordingRetention = 'UntilDeleted' } }
        $rows = foreach ($a in $accounts) {
            $sessionPath = Join-Path $TestDrive "$($a.Email).session"
            $session = Connect-AlexaAccount -Email $a.Email -Password $a.SecurePassword -BaseUri $Base -SessionPath $sessionPath
            Disconnect-AlexaAccount -Session $session
            [pscustomobject]@{ Email = $a.Email; SessionPath = $sessionPath; Marketplace = 'amazon.com' }
        }
        $csv = Join-Path $TestDrive 'accounts.csv'
        $rows | Export-Csv $csv -NoTypeInformation
        Get-Content $csv -Raw | Should -Not -Match 'correct-horse'
        $audit = Join-Path $TestDrive 'audit.jsonl'
        $report = Join-Path $TestDrive 'report.html'
        $common = @('-AccountsPath', $csv, '-PolicyPath', $policy, '-AuditLogPath', $audit, '-ReportPath', $report, '-Module', $ModulePath, '-BaseUri', $Base)

        $run = Invoke-Enforcement $common
        $run.Errors | Should -BeNullOrEmpty
        $run.ExitCode | Should -Be 0
        $run.Output | Should -Match '5 account\(s\): 5 compliant, 5 changed now, 0 not compliant, 0 error\(s\)'
        foreach ($a in $accounts) {
            (Get-ReplicaAccount $Replica $a.Email).settings.VoiceRecordingReview | Should -BeFalse
            (Get-ReplicaAccount $Replica $a.Email).settings.VoiceRecordingRetention | Should -Be 'ThreeMonths'
        }
        @(Get-Content $audit | ConvertFrom-Json | Where-Object { $_.action -eq 'SetSetting' -and $_.verified }).Count | Should -Be 10
        Test-Path $report | Should -BeTrue
        Test-Path ([IO.Path]::ChangeExtension($report, '.json')) | Should -BeTrue

        # A sixth row whose saved session file does not exist (and no password): that account fails.
        $broken = @($rows) + [pscustomobject]@{ Email = (New-TestEmail 'gone'); SessionPath = (Join-Path $TestDrive 'missing.session'); Marketplace = 'amazon.com' }
        $broken | Export-Csv $csv -NoTypeInformation
        $run = Invoke-Enforcement $common
        $run.ExitCode | Should -Be 1
        $run.Output | Should -Match '6 account\(s\): 5 compliant, 0 changed now, 0 not compliant, 1 error\(s\)'
        $failure = Get-Content $audit | ConvertFrom-Json | Where-Object action -eq 'Failure'
        @($failure).Count | Should -Be 1
        $failure.account | Should -Be $broken[5].Email
        $failure.errorId | Should -Not -BeNullOrEmpty
        # The report of that run shows all 6 accounts, the failed one named with its error id and message.
        $html = Get-Content $report -Raw
        $html | Should -Match 'id="accounts-count">6<'
        $html | Should -Match 'id="compliant-count">5<'
        $html | Should -Match 'id="failed-count">1<'
        $rowsInReport = [regex]::Matches($html, '<tr data-account="([^"]+)" data-status="([^"]+)"')
        $rowsInReport.Count | Should -Be 6
        ($rowsInReport | ForEach-Object { $_.Groups[1].Value } | Sort-Object) | Should -Be ($broken.Email | Sort-Object)
        $failedRow = $rowsInReport | Where-Object { $_.Groups[2].Value -eq 'failed' }
        @($failedRow).Count | Should -Be 1
        $failedRow.Groups[1].Value | Should -Be $broken[5].Email
        $html | Should -Match ('<tr data-account="' + [regex]::Escape($broken[5].Email) + '" data-status="failed">.*?<p class="error" data-error-id="' + [regex]::Escape($failure.errorId) + '"><code>' + [regex]::Escape($failure.errorId) + '</code>[^<]*missing\.session')
        $snapshot = Get-Content ([IO.Path]::ChangeExtension($report, '.json')) -Raw | ConvertFrom-Json
        @($snapshot.accounts).Count | Should -Be 6
        $failedAccount = @($snapshot.accounts | Where-Object status -eq 'Failed')
        $failedAccount.Count | Should -Be 1
        $failedAccount[0].account | Should -Be $broken[5].Email
        $failedAccount[0].errors[0].errorId | Should -Be $failure.errorId
        # It compares with the first run's report.
        $html | Should -Match 'id="since"'
        $html | Should -Match ([regex]::Escape("$($broken[5].Email): new in this report (failed)."))

        # A policy that is not valid: exit code 2.
        Set-Content $policy "@{ VoiceRecordingReview = 'Sometimes' }"
        (Invoke-Enforcement $common).ExitCode | Should -Be 2
    }
}
