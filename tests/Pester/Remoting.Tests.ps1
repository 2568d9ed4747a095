# Invoke-AlexaPrivacyPolicy over real SSH remoting: a private sshd on a loopback port with
# PowerShell's SSH subsystem, and two host names for 127.0.0.1 ('127.0.0.1' and 'localhost').
# Every account is done exactly once, on the host its email hashes to; the deserialised results feed
# Export-AlexaPrivacyReport and the format views as they are; the hosts' audit logs are merged.
BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    . (Join-Path $PSScriptRoot '../../tools/LoopbackSshd.ps1')
    Import-Module $ModulePath -Force
    $script:ModuleManifest = (Resolve-Path $ModulePath).Path
    $script:Replica = Start-TestReplica
    $script:Base = $Replica.BaseUri
    $script:Sshd = Start-LoopbackSshd
    $script:Hosts = @('127.0.0.1', 'localhost')

    function Get-AccountSignIns { param([string] $Email) (Invoke-ReplicaAdmin $Replica -Path "/__replica/accounts/$([uri]::EscapeDataString($Email))/sign-ins").signIns }

    # The documented choice, computed here on its own: the host whose SHA-256("<host>`n<email>") starts highest.
    function Get-ExpectedHost {
        param([string] $Email, [string[]] $Names)
        $sha = [System.Security.Cryptography.SHA256]::Create()
        try {
            $scored = foreach ($name in $Names) {
                $digest = $sha.ComputeHash([Text.Encoding]::UTF8.GetBytes($name.ToLowerInvariant() + "`n" + $Email.Trim().ToLowerInvariant()))
                [pscustomobject]@{ Name = $name; Score = [Convert]::ToHexString($digest, 0, 8) }
            }
            ($scored | Sort-Object Score -Descending | Select-Object -First 1).Name
        }
        finally { $sha.Dispose() }
    }

    $script:Remote = @{
        HostName    = $Hosts
        Port        = $Sshd.Port
        UserName    = $Sshd.UserName
        KeyFilePath = $Sshd.KeyFilePath
        SSHOption   = $Sshd.Options
        ModulePath  = $ModuleManifest
        BaseUri     = $Base
    }
    $script:Drifted = @{ VoiceRecordingReview = $true; MessageTranscription = $true; DeletionByVoice = $false; VoiceRecordingRetention = 'UntilDeleted' }
    $script:Policy = @{ VoiceRecordingReview = 'Off'; MessageTranscription = 'Off'; DeletionByVoice = 'On'; VoiceRecordingRetention = 'ThreeMonths' }
}

AfterAll {
    Get-Module AlexaPrivacy | Remove-Module -Force
    Stop-LoopbackSshd $Sshd
    Stop-TestReplica $Replica
}

Describe 'Invoke-AlexaPrivacyPolicy over SSH remoting' {
    BeforeAll {
        # 20 accounts from a CSV, every fourth with an authenticator key; fixed addresses, so the split is the same on every run.
        $script:Accounts = foreach ($i in 1..20) {
            $totp = if ($i % 4 -eq 0) { New-TestTotpKey } else { $null }
            New-ReplicaAccount $Replica -Email ('fanout-{0:d2}@example.com' -f $i) -TotpSecret $totp -Settings $Drifted
        }
        $csv = Join-Path $TestDrive 'accounts.csv'
        $Accounts | Select-Object Email, Password, TotpSecret | Export-Csv -Path $csv
        $script:AuditLog = Join-Path $TestDrive 'audit.jsonl'
        $script:Expected = @{}
        foreach ($a in $Accounts) { $Expected[$a.Email] = Get-ExpectedHost $a.Email $Hosts }

        $clock = [Diagnostics.Stopwatch]::StartNew()
        $script:Results = @(Import-Csv $csv | Invoke-AlexaPrivacyPolicy -Policy $Policy @Remote -AuditLogPath $AuditLog -Force -ThrottleLimit 2 -TimeoutSeconds 240 -ErrorVariable runErrors -ErrorAction Continue)
        $script:RunErrors = @($runErrors)
        Write-Host "20 accounts over 2 SSH hosts on loopback took $([int]$clock.Elapsed.TotalSeconds) s (a shared, loaded machine)."
    }

    It 'splits the accounts over both hosts by the documented hash of the email' {
        @($Expected.Values | Sort-Object -Unique) | Should -Be @('127.0.0.1', 'localhost')
    }

    It 'brings all 20 accounts to the policy, each once, on the host its email hashes to' {
        $RunErrors | ForEach-Object { "$_" } | Should -BeNullOrEmpty
        $Results.Count | Should -Be 20
        @($Results.Account | Sort-Object -Unique).Count | Should -Be 20
        foreach ($result in $Results) {
            $result.PSComputerName | Should -Be $Expected[$result.Account] -Because "$($result.Account) belongs to $($Expected[$result.Account])"
            $result.Compliant | Should -BeTrue
        }
        foreach ($account in $Accounts) {
            Get-AccountSignIns $account.Email | Should -Be 1 -Because "$($account.Email) is signed in once, by its own host"
            $stored = Get-Stored $account.Email
            $stored.VoiceRecordingReview | Should -BeFalse
            $stored.MessageTranscription | Should -BeFalse
            $stored.DeletionByVoice | Should -BeTrue
            $stored.VoiceRecordingRetention | Should -Be 'ThreeMonths'
        }
    }

    It 'returns deserialised results that the format view shows and Export-AlexaPrivacyReport takes as they are' {
        $Results[0].PSObject.TypeNames[0] | Should -Be 'Deserialized.AlexaPrivacy.AlexaPolicyResult'
        @($Results[0].Changes).Count | Should -Be 4
        $Results[0].Changes[0].PSObject.TypeNames[0] | Should -Be 'Deserialized.AlexaPrivacy.AlexaSettingChange'
        $table = $Results | Format-Table | Out-String
        $table | Should -Match 'Account\s+Marketplace\s+Compliant\s+Changed\s+Differences'
        $table | Should -Match 'fanout-01@example\.com\s+amazon\.com\s+True\s+4'
        $report = $Results | Export-AlexaPrivacyReport -Path (Join-Path $TestDrive 'report.html') -JsonPath (Join-Path $TestDrive 'report.json') -PassThru -ErrorAction Stop
        $report.Accounts | Should -Be 20
        $report.Compliant | Should -Be 20
        $json = Get-Content (Join-Path $TestDrive 'report.json') -Raw | ConvertFrom-Json
        @($json.accounts.account | Sort-Object) | Should -Be @($Accounts.Email | Sort-Object)
        foreach ($row in $json.accounts) {
            $row.settings.VoiceRecordingReview | Should -Be 'Off'
            $row.settings.VoiceRecordingRetention | Should -Be 'ThreeMonths'
        }
        $html = Get-Content (Join-Path $TestDrive 'report.html') -Raw
        # One 'Changed now' line for the human-review switch of each of the 20 accounts, in Amazon's words.
        [regex]::Matches($html, '<p class="changed" data-setting="VoiceRecordingReview">Changed now: [^<]+ from [^<]+ to [^<]+</p>').Count | Should -Be 20
    }

    It 'merges both hosts'' audit logs into one owner-only file, in time order, each line with its host' {
        if (-not $IsWindows) { (Get-Item $AuditLog).UnixFileMode | Should -Be ([IO.UnixFileMode]'UserRead, UserWrite') }
        $lines = @(Get-Content $AuditLog | ForEach-Object { $_ | ConvertFrom-Json -AsHashtable })
        # Each of the 80 changes has its line from before it was sent (verified: false) and its line once stored.
        $lines.Count | Should -Be 160
        @($lines.account | Sort-Object -Unique) | Should -Be @($Accounts.Email | Sort-Object)
        foreach ($line in $lines) {
            $line.action | Should -Be 'SetSetting'
            $line.host | Should -Be $Expected[$line.account]
        }
        $byChange = $lines | Group-Object { $_.changeId }
        $byChange.Count | Should -Be 80
        foreach ($change in $byChange) {
            @($change.Group | ForEach-Object { [bool]$_.verified } | Sort-Object) | Should -Be @($false, $true)
        }
        @($lines.host | Sort-Object -Unique) | Should -Be @('127.0.0.1', 'localhost')
        $times = @($lines | ForEach-Object { $_.time })
        $times | Should -Be @($times | Sort-Object -CaseSensitive)
        # No host kept its per-run log in its temporary folder.
        @(Get-ChildItem ([IO.Path]::GetTempPath()) -Filter 'alexaprivacy-audit-*.jsonl') | Should -BeNullOrEmpty
    }
}

Describe 'Invoke-AlexaPrivacyPolicy input checks' {
    It 'refuses a policy with an unknown key and a row without an email before reaching any host' {
        { @([pscustomobject]@{ Email = 'a@example.com' }) | Invoke-AlexaPrivacyPolicy -Policy @{ VoiceRecordingReveiw = 'Off' } @Remote } |
            Should -Throw -ErrorId 'AlexaPolicyInvalid,AlexaPrivacy.Commands.InvokeAlexaPrivacyPolicyCommand'
        $out = @([pscustomobject]@{ Name = 'no email'; Password = 'hunter2' } | Invoke-AlexaPrivacyPolicy -Policy @{ VoiceRecordingReview = 'Off' } @Remote -ErrorVariable bad -ErrorAction SilentlyContinue)
        $out | Should -BeNullOrEmpty
        $bad.Count | Should -Be 1
        $bad[0].FullyQualifiedErrorId | Should -BeLike 'AlexaInvalidInput*'
        $bad[0].Exception.Message | Should -Match 'no Email column \(its columns: Name, Password\)'
        $bad[0].TargetObject.Password | Should -Be '(secret)'
        "$($bad[0])" | Should -Not -Match 'hunter2'
    }
}

Describe 'Enforce-AlexaPrivacyPolicy.ps1 -HostName (unattended, saved sessions on the hosts)' {
    It 'does the accounts of the host it reaches, fails those of a host it cannot reach, by name, and exits 1' {
        $sample = Join-Path $PSScriptRoot '../../samples/Enforce-AlexaPrivacyPolicy.ps1'
        $names = @('127.0.0.1', 'nohost.invalid')
        # split-05 belongs to 127.0.0.1 and split-03 to nohost.invalid. Each saved session is made where it is used
        # (127.0.0.1 is this machine), so the CSV and the command line hold no secret.
        $rows = foreach ($i in 5, 3) {
            $a = New-ReplicaAccount $Replica -Email ('split-{0:d2}@example.com' -f $i) -Settings @{ VoiceRecordingReview = $true }
            $sessionPath = Join-Path $TestDrive "$($a.Email).session"
            $session = Connect-AlexaAccount -Email $a.Email -Password $a.SecurePassword -BaseUri $Base -SessionPath $sessionPath
            Disconnect-AlexaAccount -Session $session
            [pscustomobject]@{ Email = $a.Email; SessionPath = $sessionPath }
        }
        Get-ExpectedHost 'split-05@example.com' $names | Should -Be '127.0.0.1'
        Get-ExpectedHost 'split-03@example.com' $names | Should -Be 'nohost.invalid'
        $csv = Join-Path $TestDrive 'enforce.csv'
        $rows | Export-Csv $csv -NoTypeInformation
        Get-Content $csv -Raw | Should -Not -Match 'correct-horse'
        $policy = Join-Path $TestDrive 'enforce.psd1'
        Set-Content $policy "@{ VoiceRecordingReview = 'Off' }"
        $audit = Join-Path $TestDrive 'enforce-audit.jsonl'
        $arguments = @('-AccountsPath', $csv, '-PolicyPath', $policy, '-AuditLogPath', $audit, '-Module', $ModuleManifest, '-BaseUri', $Base,
            '-HostName', ($names -join ','), '-Port', $Sshd.Port, '-UserName', $Sshd.UserName, '-KeyFilePath', $Sshd.KeyFilePath,
            '-RemoteModule', $ModuleManifest, '-SSHOption', (@($Sshd.Options.GetEnumerator() | ForEach-Object { "$($_.Key)=$($_.Value)" }) -join ','))
        $command = @(Get-PwshCommandLine)
        $info = [Diagnostics.ProcessStartInfo]::new($command[0])
        foreach ($a in @($command | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', $sample) + $arguments) { $info.ArgumentList.Add($a) }
        $info.RedirectStandardOutput = $true; $info.RedirectStandardError = $true; $info.RedirectStandardInput = $true; $info.UseShellExecute = $false
        $process = [Diagnostics.Process]::Start($info)
        $process.StandardInput.Close()   # nobody is there to answer a prompt
        $out = $process.StandardOutput.ReadToEndAsync(); $err = $process.StandardError.ReadToEndAsync()
        if (-not $process.WaitForExit(240000)) { $process.Kill($true); throw 'The enforcement script did not finish within 240 s.' }
        $process.ExitCode | Should -Be 1
        $out.Result | Should -Match '2 account\(s\): 1 compliant, 1 changed now, 0 not compliant, 1 error\(s\)'
        $err.Result | Should -Match 'split-03@example\.com: not done on nohost\.invalid'
        $err.Result | Should -Not -Match 'split-05@example\.com'
        (Get-Stored 'split-05@example.com').VoiceRecordingReview | Should -BeFalse
        (Get-Stored 'split-03@example.com').VoiceRecordingReview | Should -BeTrue
        foreach ($row in $rows) { Get-AccountSignIns $row.Email | Should -Be 1 -Because 'only Connect-AlexaAccount signed in; the host used the saved session' }
        $lines = @(Get-Content $audit | ConvertFrom-Json)
        # The one change: its line from before it was sent, and its line once Amazon stored it.
        $lines.Count | Should -Be 2
        foreach ($line in $lines) {
            $line.account | Should -Be 'split-05@example.com'
            $line.host | Should -Be '127.0.0.1'
            $line.action | Should -Be 'SetSetting'
            $line.changeId | Should -Be $lines[0].changeId
        }
        @($lines.verified) | Should -Be @($false, $true)
    }
}
