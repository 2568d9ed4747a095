# Test- and Set-AlexaPrivacyPolicy against the replica: the policy is checked before any sign-in,
# accounts are compared and brought to it on one sign-in each, the second run changes nothing,
# -WhatIf changes nothing and logs nothing, and every change lands in the audit log.
BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    Import-Module $ModulePath -Force
    $script:Replica = Start-TestReplica
    $script:Base = $Replica.BaseUri

    function Get-SignIns { (Invoke-ReplicaAdmin $Replica -Path '/__replica/stats').signIns }
    function Get-AccountSignIns { param([string] $Email) (Invoke-ReplicaAdmin $Replica -Path "/__replica/accounts/$([uri]::EscapeDataString($Email))/sign-ins").signIns }
    # Two recordings 10 and 12 days old, one 2 days old, on two devices.
    function New-OldAndNewRecords {
        @{ timestamp = (Get-Ms -12 9); device = 'Cabin Echo'; transcript = 'turn on the lights' }
        @{ timestamp = (Get-Ms -10 20); device = 'Cabin Echo Dot'; transcript = 'what is the weather' }
        @{ timestamp = (Get-Ms -2 9); device = 'Cabin Echo'; transcript = 'set an alarm' }
    }
    function New-PolicyFile {
        param([string] $Text, [string] $Name = 'policy.psd1')
        $path = Join-Path $TestDrive $Name
        Set-Content -Path $path -Value $Text
        $path
    }

    $script:Compliant = @{ VoiceRecordingReview = $false; MessageTranscription = $false; DeletionByVoice = $true; VoiceRecordingRetention = 'ThreeMonths' }
    $script:Policy = @{ VoiceRecordingReview = 'Off'; MessageTranscription = 'Off'; DeletionByVoice = 'On'; VoiceRecordingRetention = 'ThreeMonths'; DeleteRecordingsOlderThan = '7.00:00:00' }
}

AfterAll {
    Get-Module AlexaPrivacy | Remove-Module -Force
    Stop-TestReplica $Replica
}

Describe 'Policy validation' {
    It 'names the file and the line of an unknown key, before any sign-in' {
        $path = New-PolicyFile "@{`n    VoiceRecordingReview = 'Off'`n    VoiceRecordingReveiw = 'Off'`n}"
        $account = New-ReplicaAccount $Replica
        $before = Get-SignIns
        $err = { Test-AlexaPrivacyPolicy -Policy $path -Email $account.Email -Password $account.SecurePassword -BaseUri $Base } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'AlexaPolicyInvalid*'
        $err.CategoryInfo.Category | Should -Be 'InvalidData'
        $err.Exception.Message | Should -Match ([regex]::Escape("${path}:3:"))
        $err.Exception.Message | Should -Match "'VoiceRecordingReveiw' is not a policy key"
        $err.Exception.Message | Should -Match 'DeleteRecordingsOlderThan'
        Get-SignIns | Should -Be $before
    }

    It 'names the file, the line and the key of a bad value' {
        $path = New-PolicyFile "@{`n    # the office's policy`n    VoiceRecordingReview = 'Off'`n    VoiceRecordingRetention = 'TwoWeeks'`n}"
        $err = { Set-AlexaPrivacyPolicy -Policy $path -Email nobody@example.com -Password (ConvertTo-TestSecureString x) -BaseUri $Base -WhatIf } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'AlexaPolicyInvalid*'
        $err.Exception.Message | Should -Match ([regex]::Escape("${path}:4: VoiceRecordingRetention"))
        $err.Exception.Message | Should -Match "'TwoWeeks' is not a retention period"
    }

    It 'refuses a file that runs code, and a hashtable with a bad switch value or age' {
        $code = New-PolicyFile "@{ VoiceRecordingReview = (Get-Date) }" 'code.psd1'
        { Test-AlexaPrivacyPolicy -Policy $code -Email a@example.com -Password (ConvertTo-TestSecureString x) -BaseUri $Base } |
            Should -Throw -ErrorId 'AlexaPolicyInvalid,AlexaPrivacy.Commands.TestAlexaPrivacyPolicyCommand' -ExpectedMessage "*code.psd1:1: the value of 'VoiceRecordingReview'*not a constant*"
        { Test-AlexaPrivacyPolicy -Policy @{ DeletionByVoice = 'maybe' } -Email a@example.com -Password (ConvertTo-TestSecureString x) -BaseUri $Base } |
            Should -Throw -ExpectedMessage "*DeletionByVoice: Enabled value 'maybe' is not a boolean*"
        { Test-AlexaPrivacyPolicy -Policy @{ DeleteRecordingsOlderThan = 'last week' } -Email a@example.com -Password (ConvertTo-TestSecureString x) -BaseUri $Base } |
            Should -Throw -ExpectedMessage "*DeleteRecordingsOlderThan = 'last week' is not an age*"
        { Test-AlexaPrivacyPolicy -Policy @{} -Email a@example.com -Password (ConvertTo-TestSecureString x) -BaseUri $Base } |
            Should -Throw -ExpectedMessage '*names nothing to enforce*'
        { Test-AlexaPrivacyPolicy -Policy (Join-Path $TestDrive 'missing.psd1') -Email a@example.com -Password (ConvertTo-TestSecureString x) -BaseUri $Base } |
            Should -Throw -ExpectedMessage '*missing.psd1*does not exist*'
    }
}

Describe 'Test-AlexaPrivacyPolicy' {
    It 'finds a compliant account compliant, and lists each difference of a drifted one with the old recordings counted' {
        $good = New-ReplicaAccount $Replica -Settings $Compliant
        Add-Records $good.Email @(@{ timestamp = (Get-Ms -2 9); device = 'Kitchen Echo'; transcript = 'hello' })
        $drifted = New-ReplicaAccount $Replica -Settings @{ VoiceRecordingReview = $true; MessageTranscription = $false; DeletionByVoice = $false; VoiceRecordingRetention = 'UntilDeleted' }
        Add-Records $drifted.Email @(New-OldAndNewRecords)
        $rows = @(
            [pscustomobject]@{ Email = $good.Email; Password = $good.Password }
            [pscustomobject]@{ Email = $drifted.Email; Password = $drifted.Password }
        )
        $path = New-PolicyFile "@{ VoiceRecordingReview = 'Off'; MessageTranscription = `$false; DeletionByVoice = 'On'; VoiceRecordingRetention = 'ThreeMonths'; DeleteRecordingsOlderThan = 7 }"
        $results = $rows | Test-AlexaPrivacyPolicy -Policy $path -BaseUri $Base -ThrottleLimit 2 -WarningAction SilentlyContinue
        @($results).Count | Should -Be 2
        $g = $results | Where-Object Account -eq $good.Email
        $d = $results | Where-Object Account -eq $drifted.Email
        $g.Compliant | Should -BeTrue
        @($g.Differences).Count | Should -Be 0
        $g.RecordingsOlderThanCutoff | Should -Be 0
        $g.Settings['VoiceRecordingRetention'] | Should -Be 'ThreeMonths'
        $d.Compliant | Should -BeFalse
        ($d.Differences.Setting) | Should -Be @('VoiceRecordingReview', 'DeletionByVoice', 'VoiceRecordingRetention', 'DeleteRecordingsOlderThan')
        ($d.Differences | Where-Object Setting -eq 'VoiceRecordingReview').Actual | Should -Be 'On'
        ($d.Differences | Where-Object Setting -eq 'VoiceRecordingReview').Wanted | Should -Be 'Off'
        ($d.Differences | Where-Object Setting -eq 'VoiceRecordingRetention').Actual | Should -Be 'UntilDeleted'
        ($d.Differences | Where-Object Setting -eq 'DeleteRecordingsOlderThan').Recordings | Should -Be 2
        $d.Marketplace | Should -Be 'amazon.com'
        # Testing changes nothing.
        (Get-Stored $drifted.Email).VoiceRecordingReview | Should -BeTrue
        @(Get-StoredRecords $drifted.Email).Count | Should -Be 3
    }

    It 'takes sessions from the pipeline' {
        $a = New-ReplicaAccount $Replica -Settings $Compliant
        $session = Connect-AlexaAccount -Email $a.Email -Password $a.SecurePassword -BaseUri $Base
        try {
            $result = $session | Test-AlexaPrivacyPolicy -Policy @{ VoiceRecordingReview = 'On' }
            $result.Compliant | Should -BeFalse
            $result.Differences[0].Actual | Should -Be 'Off'
        }
        finally { Disconnect-AlexaAccount -Session $session }
    }
}

Describe 'Set-AlexaPrivacyPolicy' {
    It 'brings 10 accounts (mixed drift, one bad row) to the policy on one sign-in each, logs each change, and a second run changes nothing' {
        $drifts = @(
            $Compliant
            @{ VoiceRecordingReview = $true }
            @{ MessageTranscription = $true; DeletionByVoice = $false }
            @{ VoiceRecordingRetention = 'UntilDeleted' }
            @{ VoiceRecordingReview = $true; MessageTranscription = $true; DeletionByVoice = $false; VoiceRecordingRetention = 'EighteenMonths' }
            $Compliant
            @{ VoiceRecordingReview = $true; VoiceRecordingRetention = 'ThreeMonths' }
            @{ DeletionByVoice = $false; VoiceRecordingRetention = 'DontSave'; VoiceRecordingReview = $false; MessageTranscription = $false }
            @{ MessageTranscription = $true }
        )
        $accounts = for ($i = 0; $i -lt $drifts.Count; $i++) {
            $settings = $Compliant.Clone(); foreach ($k in $drifts[$i].Keys) { $settings[$k] = $drifts[$i][$k] }
            New-ReplicaAccount $Replica -Email (New-TestEmail "policy$i") -Settings $settings
        }
        # Old recordings on three accounts: the compliant settings of account 0 do not make it compliant.
        foreach ($i in 0, 3, 6) { Add-Records $accounts[$i].Email @(New-OldAndNewRecords) }
        $wrong = New-ReplicaAccount $Replica -Settings @{ VoiceRecordingReview = $true }
        $rows = @($accounts | ForEach-Object { [pscustomobject]@{ Email = $_.Email; Password = $_.Password } })
        $rows += [pscustomobject]@{ Email = $wrong.Email; Password = 'not-the-password' }
        $audit = Join-Path $TestDrive 'audit/policy.jsonl'

        $before = Get-SignIns
        $errors = $null
        $results = $rows | Set-AlexaPrivacyPolicy -Policy $Policy -BaseUri $Base -Force -ThrottleLimit 4 -AuditLogPath $audit -ErrorVariable errors -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        $signIns = (Get-SignIns) - $before

        $signIns | Should -Be 9   # one per good account; the bad row never completes one
        foreach ($a in $accounts) { Get-AccountSignIns $a.Email | Should -Be 1 -Because "$($a.Email) is signed in once" }
        Get-AccountSignIns $wrong.Email | Should -Be 0
        @($errors).Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'AlexaAuthenticationFailed*'
        $errors[0].TargetObject.Email | Should -Be $wrong.Email
        @($results).Count | Should -Be 9
        $results | ForEach-Object { $_.Compliant | Should -BeTrue; @($_.Differences).Count | Should -Be 0 }
        foreach ($a in $accounts) {
            $stored = Get-Stored $a.Email
            $stored.VoiceRecordingReview | Should -BeFalse
            $stored.MessageTranscription | Should -BeFalse
            $stored.DeletionByVoice | Should -BeTrue
            $stored.VoiceRecordingRetention | Should -Be 'ThreeMonths'
        }
        foreach ($i in 0, 3, 6) { @(Get-StoredRecords $accounts[$i].Email).transcript | Should -Be @('set an alarm') }
        $r4 = $results | Where-Object Account -eq $accounts[4].Email
        ($r4.Changes.Setting) | Should -Be @('VoiceRecordingReview', 'MessageTranscription', 'DeletionByVoice', 'VoiceRecordingRetention')
        ($results | Where-Object Account -eq $accounts[0].Email).Deletion.Deleted | Should -Be 2
        @(($results | Where-Object Account -eq $accounts[5].Email).Changes).Count | Should -Be 0
        ($results | Where-Object Account -eq $accounts[7].Email).Changes.NewValue | Should -Contain 'ThreeMonths'

        # The audit log: one line per change and deletion, one for the failure; owner-only.
        $lines = @(Get-Content $audit | ForEach-Object { $_ | ConvertFrom-Json -AsHashtable })
        $changes = @($lines | Where-Object { $_.action -eq 'SetSetting' -and $_.verified })
        # Each change has its line from before it was sent, paired by changeId.
        $sent = @($lines | Where-Object { $_.action -eq 'SetSetting' -and -not $_.verified })
        $sent.Count | Should -Be $changes.Count
        ($sent.changeId | Sort-Object) -join ',' | Should -Be (($changes.changeId | Sort-Object) -join ',')
        $expected = ($results | ForEach-Object { @($_.Changes).Count } | Measure-Object -Sum).Sum
        $changes.Count | Should -Be $expected
        $expected | Should -BeGreaterThan 10
        $changes | ForEach-Object { $_.verified | Should -BeTrue; $_.command | Should -Be 'Set-AlexaPrivacyPolicy'; $_.marketplace | Should -Be 'amazon.com' }
        $review = $changes | Where-Object { $_.account -eq $accounts[1].Email }
        $review.setting | Should -Be 'VoiceRecordingReview'
        $review.oldValue | Should -Be 'On'
        $review.newValue | Should -Be 'Off'
        [DateTimeOffset]::Parse($review.time).Offset | Should -Be ([TimeSpan]::Zero)
        Get-Content $audit | ForEach-Object { $_ | Should -Match '^\{"time":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z",' }
        $deletions = @($lines | Where-Object { $_.action -eq 'DeleteRecordings' -and $_.verified })
        $deletions.Count | Should -Be 3
        @($lines | Where-Object { $_.action -eq 'DeleteRecordings' -and -not $_.verified -and $_.recordsRequested -eq 2 }).Count | Should -Be 3
        $deletions | ForEach-Object {
            $_.recordsDeleted | Should -Be 2
            [DateTimeOffset]::Parse($_.rangeStart).ToUnixTimeMilliseconds() | Should -Be (Get-Ms -12 9)
            [DateTimeOffset]::Parse($_.rangeEnd).ToUnixTimeMilliseconds() | Should -Be (Get-Ms -10 20)
        }
        $failures = @($lines | Where-Object { $_.action -eq 'Failure' })
        $failures.Count | Should -Be 1
        $failures[0].account | Should -Be $wrong.Email
        $failures[0].errorId | Should -Be 'AlexaAuthenticationFailed'
        $lines.Count | Should -Be (2 * $changes.Count + 7)
        Get-Content $audit -Raw | Should -Not -Match 'not-the-password|correct-horse'
        if (-not $IsWindows) { (Get-Item $audit).UnixMode | Should -Be '-rw-------' }

        # Again, without the bad row: nothing to change, one sign-in per account, no new line.
        $before = Get-SignIns
        $again = $rows[0..8] | Set-AlexaPrivacyPolicy -Policy $Policy -BaseUri $Base -Force -ThrottleLimit 4 -AuditLogPath $audit
        (Get-SignIns) - $before | Should -Be 9
        foreach ($a in $accounts) { Get-AccountSignIns $a.Email | Should -Be 2 }
        @($again).Count | Should -Be 9
        $again | ForEach-Object { $_.Compliant | Should -BeTrue; @($_.Changes).Count | Should -Be 0; $_.Deletion | Should -BeNullOrEmpty }
        @(Get-Content $audit).Count | Should -Be $lines.Count
    }

    It 'changes nothing and writes no audit line with -WhatIf' {
        $a = New-ReplicaAccount $Replica -Settings @{ VoiceRecordingReview = $true; MessageTranscription = $true; DeletionByVoice = $false; VoiceRecordingRetention = 'UntilDeleted' }
        Add-Records $a.Email @(New-OldAndNewRecords)
        $audit = Join-Path $TestDrive 'whatif.jsonl'
        $env:ALEXAPRIVACY_AUDIT_LOG = $audit
        try {
            $result = Set-AlexaPrivacyPolicy -Policy $Policy -Email $a.Email -Password $a.SecurePassword -BaseUri $Base -WhatIf
        }
        finally { Remove-Item Env:ALEXAPRIVACY_AUDIT_LOG }
        $result.Compliant | Should -BeFalse
        @($result.Changes).Count | Should -Be 0
        ($result.Differences.Setting) | Should -Be @('VoiceRecordingReview', 'MessageTranscription', 'DeletionByVoice', 'VoiceRecordingRetention', 'DeleteRecordingsOlderThan')
        (Get-Stored $a.Email).VoiceRecordingReview | Should -BeTrue
        (Get-Stored $a.Email).VoiceRecordingRetention | Should -Be 'UntilDeleted'
        @(Get-StoredRecords $a.Email).Count | Should -Be 3
        Test-Path $audit | Should -BeFalse
    }

    It 'asks before shortening retention or deleting: where no one can answer it refuses those and applies the rest' {
        $a = New-ReplicaAccount $Replica -Settings @{ VoiceRecordingReview = $true; VoiceRecordingRetention = 'UntilDeleted' }
        Add-Records $a.Email @(New-OldAndNewRecords)
        $errors = $null
        $result = Set-AlexaPrivacyPolicy -Policy @{ VoiceRecordingReview = 'Off'; VoiceRecordingRetention = 'ThreeMonths' } -Email $a.Email -Password $a.SecurePassword -BaseUri $Base -ErrorVariable errors -ErrorAction SilentlyContinue
        @($errors).Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'AlexaConfirmationRequired*'
        (Get-Stored $a.Email).VoiceRecordingReview | Should -BeFalse
        (Get-Stored $a.Email).VoiceRecordingRetention | Should -Be 'UntilDeleted'
        @(Get-StoredRecords $a.Email).Count | Should -Be 3
    }
}

Describe 'Questions an admin answers once' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'AnsweringHost.ps1')
        # A drifted account whose policy both shortens retention and deletes two old recordings.
        function New-DriftedAccount {
            param([int] $Index)
            $a = New-ReplicaAccount $Replica -Email (New-TestEmail "ask$Index") -Settings @{ VoiceRecordingReview = $true; MessageTranscription = $false; DeletionByVoice = $true; VoiceRecordingRetention = 'UntilDeleted' }
            Add-Records $a.Email @(New-OldAndNewRecords)
            $a
        }
        $script:Apply = {
            param($Rows, $Policy, $Base)
            $Rows | Set-AlexaPrivacyPolicy -Policy $Policy -BaseUri $Base -ThrottleLimit 4
        }
    }

    It 'does a 12-account policy with deletions on one answer, Yes to All, at a console' {
        $accounts = @(for ($i = 0; $i -lt 12; $i++) { New-DriftedAccount $i })
        $rows = @($accounts | ForEach-Object { [pscustomobject]@{ Email = $_.Email; Password = $_.Password } })
        $run = Invoke-WithAnswer -Answer 'Yes to All' -Seconds 420 -Script $Apply -Arguments $rows, $Policy, $Base
        $run.Errors | Should -BeNullOrEmpty
        $run.Prompts.Count | Should -Be 1
        $run.Prompts[0] | Should -Match 'deletes the recordings older than the new period|gone for good'
        # Every question offers Yes to All and No to All, and one that deletes defaults to No.
        $run.Choices[0] | Should -Be 'Yes|Yes to All|*No|No to All|Suspend'
        @($run.Output).Count | Should -Be 12
        foreach ($a in $accounts) {
            $stored = Get-Stored $a.Email
            $stored.VoiceRecordingReview | Should -BeFalse -Because "$($a.Email) had human review turned off"
            $stored.VoiceRecordingRetention | Should -Be 'ThreeMonths' -Because "$($a.Email) had its retention shortened"
            @(Get-StoredRecords $a.Email).transcript | Should -Be @('set an alarm') -Because "$($a.Email) had its two old recordings deleted"
        }
    }

    It 'deletes nothing when every question is answered with Enter alone, and makes the changes that delete nothing' {
        $accounts = @(for ($i = 0; $i -lt 3; $i++) { New-DriftedAccount $i })
        $rows = @($accounts | ForEach-Object { [pscustomobject]@{ Email = $_.Email; Password = $_.Password } })
        $run = Invoke-WithAnswer -Answer 'Enter' -Seconds 300 -Script $Apply -Arguments $rows, $Policy, $Base
        $run.Errors | Should -BeNullOrEmpty
        # Two questions per account (the shorter retention, the old recordings), each answered No by Enter.
        $run.Prompts.Count | Should -Be 6
        $run.Choices | ForEach-Object { $_ | Should -Match '\|\*No\|' }
        foreach ($a in $accounts) {
            $stored = Get-Stored $a.Email
            $stored.VoiceRecordingRetention | Should -Be 'UntilDeleted'
            @(Get-StoredRecords $a.Email).Count | Should -Be 3
            $stored.VoiceRecordingReview | Should -BeFalse -Because 'turning off human review deletes nothing, so it is not asked about'
        }
        $run.Output | ForEach-Object { $_.Compliant | Should -BeFalse; ($_.Differences.Setting) | Should -Be @('VoiceRecordingRetention', 'DeleteRecordingsOlderThan') }
    }

    It 'asks nothing more after No to All' {
        $accounts = @(for ($i = 0; $i -lt 3; $i++) { New-DriftedAccount $i })
        $rows = @($accounts | ForEach-Object { [pscustomobject]@{ Email = $_.Email; Password = $_.Password } })
        $run = Invoke-WithAnswer -Answer 'No to All' -Seconds 300 -Script $Apply -Arguments $rows, $Policy, $Base
        $run.Errors | Should -BeNullOrEmpty
        $run.Prompts.Count | Should -Be 1
        foreach ($a in $accounts) {
            (Get-Stored $a.Email).VoiceRecordingRetention | Should -Be 'UntilDeleted'
            @(Get-StoredRecords $a.Email).Count | Should -Be 3
        }
    }

    It 'says under -WhatIf that a compliant account needs nothing' {
        $a = New-ReplicaAccount $Replica -Settings $Compliant
        $run = Invoke-WithAnswer -Answer 'No' -Arguments $a.Email, $a.Password, $Base -Script {
            param($Email, $Password, $Base)
            Set-AlexaPrivacyPolicy -Policy @{ VoiceRecordingReview = 'Off' } -Email $Email -Password (ConvertTo-SecureString $Password -AsPlainText -Force) -BaseUri $Base -WhatIf
        }
        $run.Errors | Should -BeNullOrEmpty
        $run.Prompts.Count | Should -Be 0
        $run.Lines | Should -Contain "What if: $($a.Email) already meets the policy; nothing to change"
    }
}
