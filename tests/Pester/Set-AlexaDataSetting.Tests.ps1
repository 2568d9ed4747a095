# Get-, Set- and Test-AlexaDataSetting against the replica: what is read is what Amazon stores,
# changes go through the page's confirmation, are idempotent, and are verified after a reload.
BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    . (Join-Path $PSScriptRoot 'AnsweringHost.ps1')
    Import-Module $ModulePath -Force
    $script:Replica = Start-TestReplica
    $script:Base = $Replica.BaseUri

}

AfterAll {
    Get-Module AlexaPrivacy | Remove-Module -Force
    Stop-TestReplica $Replica
}

Describe 'Get-AlexaDataSetting' {
    It 'shows every setting as the replica stores it' {
        $t = Connect-Seeded @{ VoiceRecordingReview = $false; MessageTranscription = $true; DeletionByVoice = $true; VoiceRecordingRetention = 'EighteenMonths' }
        $settings = Get-AlexaDataSetting -Session $t.Session
        $byName = @{}; $settings | ForEach-Object { $byName[$_.Name] = $_ }
        $byName.Keys | Sort-Object | Should -Be @('DeletionByVoice', 'MessageTranscription', 'VoiceRecordingRetention', 'VoiceRecordingReview')
        $byName.VoiceRecordingReview.Enabled | Should -BeFalse
        $byName.VoiceRecordingReview.Value | Should -Be 'Off'
        $byName.VoiceRecordingReview.DisplayName | Should -Be 'Use of Voice Recordings'
        $byName.MessageTranscription.Enabled | Should -BeTrue
        $byName.DeletionByVoice.Enabled | Should -BeTrue
        $byName.VoiceRecordingRetention.Value | Should -Be 'EighteenMonths'
        $settings | ForEach-Object { $_.Account | Should -Be $t.Email }
        Disconnect-AlexaAccount -Session $t.Session
    }

    It 'reads one setting by -Name and completes -Name on Tab' {
        $t = Connect-Seeded @{ DeletionByVoice = $true }
        $setting = Get-AlexaDataSetting -Session $t.Session -Name DeletionByVoice
        @($setting).Count | Should -Be 1
        $setting.Enabled | Should -BeTrue
        $result = TabExpansion2 -inputScript 'Get-AlexaDataSetting -Name Voice' -cursorColumn 32
        $result.CompletionMatches.CompletionText | Should -Be @('VoiceRecordingReview', 'VoiceRecordingRetention')
        Disconnect-AlexaAccount -Session $t.Session
    }
}

Describe 'Set-AlexaDataSetting' {
    AfterEach { Set-ReplicaFault $Replica @{} }

    It 'turns off human review through the "Turn Off" confirmation and Amazon stores it' {
        $t = Connect-Seeded @{ VoiceRecordingReview = $true }
        $change = Set-AlexaDataSetting -Session $t.Session -Enabled $false -Confirm:$false -PassThru
        $change.Setting | Should -Be 'VoiceRecordingReview'
        $change.OldValue | Should -Be 'On'
        $change.NewValue | Should -Be 'Off'
        $change.Changed | Should -BeTrue
        (Get-Stored $t.Email).VoiceRecordingReview | Should -BeFalse
        Disconnect-AlexaAccount -Session $t.Session
    }

    It 'changes only the switch whose whole label matches, not one that shares its words' {
        $t = Connect-Seeded @{ VoiceRecordingReview = $true; PersonalizationDecoy = $true }
        Set-AlexaDataSetting -Session $t.Session -Enabled $false -Confirm:$false
        $stored = Get-Stored $t.Email
        $stored.VoiceRecordingReview | Should -BeFalse
        $stored.PersonalizationDecoy | Should -BeTrue
        Disconnect-AlexaAccount -Session $t.Session
    }

    It 'reports Changed = $false and changes nothing when the setting already has the value' {
        $t = Connect-Seeded @{ VoiceRecordingReview = $false }
        $before = Get-ReplicaAccount $Replica $t.Email
        $change = Set-AlexaDataSetting -Session $t.Session -Enabled $false -Confirm:$false -PassThru
        $change.Changed | Should -BeFalse
        $change.OldValue | Should -Be 'Off'
        $change.NewValue | Should -Be 'Off'
        (Get-Stored $t.Email).VoiceRecordingReview | Should -BeFalse
        Disconnect-AlexaAccount -Session $t.Session
    }

    It 'changes nothing with -WhatIf' {
        $t = Connect-Seeded @{ VoiceRecordingReview = $true }
        $out = Set-AlexaDataSetting -Session $t.Session -Enabled $false -WhatIf -PassThru
        $out | Should -BeNullOrEmpty
        (Get-Stored $t.Email).VoiceRecordingReview | Should -BeTrue
        Disconnect-AlexaAccount -Session $t.Session
    }

    It 'takes several names and wildcards, like Get-AlexaDataSetting, on one sign-in' {
        $t = Connect-Seeded @{ VoiceRecordingReview = $true; MessageTranscription = $true; DeletionByVoice = $true; VoiceRecordingRetention = 'EighteenMonths' }
        $changes = Set-AlexaDataSetting -Session $t.Session -Name VoiceRecordingReview, MessageTranscription -Enabled $false -Confirm:$false -PassThru
        ($changes.Setting) | Should -Be @('VoiceRecordingReview', 'MessageTranscription')
        $stored = Get-Stored $t.Email
        $stored.VoiceRecordingReview | Should -BeFalse
        $stored.MessageTranscription | Should -BeFalse
        $stored.DeletionByVoice | Should -BeTrue
        # A wildcard with -Enabled takes the switches only: the retention choice is left alone.
        $changes = Set-AlexaDataSetting -Session $t.Session -Name * -Enabled $false -Confirm:$false -PassThru
        ($changes.Setting | Sort-Object) | Should -Be @('DeletionByVoice', 'MessageTranscription', 'VoiceRecordingReview')
        (Get-Stored $t.Email).DeletionByVoice | Should -BeFalse
        (Get-Stored $t.Email).VoiceRecordingRetention | Should -Be 'EighteenMonths'
        $err = $null
        Set-AlexaDataSetting -Session $t.Session -Name 'Nothing*' -Enabled $true -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'AlexaInvalidInput,*'
        $err[0].Exception.Message | Should -Match "'Nothing\*' matches no setting"
        Disconnect-AlexaAccount -Session $t.Session
    }

    It 'says under -WhatIf that a setting already has the value' {
        $t = Connect-Seeded @{ VoiceRecordingReview = $false }
        $run = Invoke-WithAnswer -Answer 'No' -Arguments $t.Session -Script { param($s) Set-AlexaDataSetting -Session $s -Enabled $false -WhatIf }
        $run.Errors | Should -BeNullOrEmpty
        $run.Lines | Should -Contain "What if: 'Use of Voice Recordings' is already Off for $($t.Email); nothing to change"
        Disconnect-AlexaAccount -Session $t.Session
    }

    It 'turns human review back on without a confirmation dialog' {
        $t = Connect-Seeded @{ VoiceRecordingReview = $false }
        (Set-AlexaDataSetting -Session $t.Session -Enabled 'yes' -Confirm:$false -PassThru).NewValue | Should -Be 'On'
        (Get-Stored $t.Email).VoiceRecordingReview | Should -BeTrue
        Disconnect-AlexaAccount -Session $t.Session
    }

    It 'switches the other settings by name' {
        $t = Connect-Seeded @{ MessageTranscription = $true; DeletionByVoice = $false }
        Set-AlexaDataSetting -Session $t.Session -Name MessageTranscription -Enabled $false -Confirm:$false
        Set-AlexaDataSetting -Session $t.Session -Name DeletionByVoice -Enabled $true -Confirm:$false
        $stored = Get-Stored $t.Email
        $stored.MessageTranscription | Should -BeFalse
        $stored.DeletionByVoice | Should -BeTrue
        Disconnect-AlexaAccount -Session $t.Session
    }

    It 'shortens the retention through the deletion confirmation and lengthens it without one' {
        $t = Connect-Seeded @{ VoiceRecordingRetention = 'UntilDeleted' }
        $change = Set-AlexaDataSetting -Session $t.Session -Name VoiceRecordingRetention -Value ThreeMonths -Confirm:$false -PassThru
        $change.OldValue | Should -Be 'UntilDeleted'
        $change.NewValue | Should -Be 'ThreeMonths'
        (Get-Stored $t.Email).VoiceRecordingRetention | Should -Be 'ThreeMonths'
        Set-AlexaDataSetting -Session $t.Session -Name VoiceRecordingRetention -Value EighteenMonths -Confirm:$false
        (Get-Stored $t.Email).VoiceRecordingRetention | Should -Be 'EighteenMonths'
        Disconnect-AlexaAccount -Session $t.Session
    }

    It 'rejects a value that is not a retention period with AlexaInvalidInput' {
        $t = Connect-Seeded @{}
        { Set-AlexaDataSetting -Session $t.Session -Name VoiceRecordingRetention -Value 'Forever' -Confirm:$false -ErrorAction Stop } |
            Should -Throw -ErrorId 'AlexaInvalidInput*'
        Disconnect-AlexaAccount -Session $t.Session
    }

    It 'works on the 2019 page generation, opening the box and confirming "Turn Off"' {
        Set-ReplicaFault $Replica @{ generation = '2019' }
        $t = Connect-Seeded @{ VoiceRecordingReview = $true; DeletionByVoice = $false; VoiceRecordingRetention = 'UntilDeleted' }
        $settings = Get-AlexaDataSetting -Session $t.Session
        ($settings | Where-Object Name -eq VoiceRecordingReview).DisplayName | Should -Be 'Help Improve Amazon Services and Develop New Features'
        ($settings | Where-Object Name -eq VoiceRecordingReview).PageGeneration | Should -Be '2019'
        ($settings | Where-Object Name -eq VoiceRecordingRetention).Value | Should -Be 'UntilDeleted'
        (Set-AlexaDataSetting -Session $t.Session -Enabled $false -Confirm:$false -PassThru).Changed | Should -BeTrue
        Set-AlexaDataSetting -Session $t.Session -Name DeletionByVoice -Enabled $true -Confirm:$false
        Set-AlexaDataSetting -Session $t.Session -Name VoiceRecordingRetention -Value EighteenMonths -Confirm:$false
        $stored = Get-Stored $t.Email
        $stored.VoiceRecordingReview | Should -BeFalse
        $stored.DeletionByVoice | Should -BeTrue
        $stored.VoiceRecordingRetention | Should -Be 'EighteenMonths'
        Disconnect-AlexaAccount -Session $t.Session
    }

    It 'signs in again when Amazon expires the session mid-way and a password is at hand' {
        $t = Connect-Seeded @{ VoiceRecordingReview = $true }
        $null = Invoke-ReplicaAdmin $Replica -Method POST -Path "/__replica/accounts/$($t.Email)/expire-sessions"
        Set-AlexaDataSetting -Session $t.Session -Enabled $false -Confirm:$false
        (Get-Stored $t.Email).VoiceRecordingReview | Should -BeFalse
        (Get-ReplicaAccount $Replica $t.Email).signInCount | Should -Be 2
        Disconnect-AlexaAccount -Session $t.Session
    }

    It 'fails with AlexaSessionExpired when Amazon expires a saved session and no password is at hand' {
        $account = New-ReplicaAccount $Replica
        $path = Join-Path $TestDrive 'expiring.session'
        Connect-AlexaAccount -Email $account.Email -Password $account.SecurePassword -BaseUri $Base -SessionPath $path | Disconnect-AlexaAccount
        $session = Connect-AlexaAccount -Email $account.Email -SessionPath $path -BaseUri $Base
        $null = Invoke-ReplicaAdmin $Replica -Method POST -Path "/__replica/accounts/$($account.Email)/expire-sessions"
        { Set-AlexaDataSetting -Session $session -Enabled $false -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'AlexaSessionExpired*'
        (Get-Stored $account.Email).VoiceRecordingReview | Should -BeTrue
        Disconnect-AlexaAccount -Session $session
    }
}

Describe 'Test-AlexaDataSetting' {
    It 'returns $true when the setting holds the wanted value and $false when not' {
        $t = Connect-Seeded @{ VoiceRecordingReview = $true; VoiceRecordingRetention = 'ThreeMonths' }
        Test-AlexaDataSetting -Session $t.Session -Enabled $false | Should -BeFalse
        Test-AlexaDataSetting -Session $t.Session -Enabled $true | Should -BeTrue
        Test-AlexaDataSetting -Session $t.Session -Name VoiceRecordingRetention -Value ThreeMonths | Should -BeTrue
        Test-AlexaDataSetting -Session $t.Session -Name VoiceRecordingRetention -Value DontSave | Should -BeFalse
        Disconnect-AlexaAccount -Session $t.Session
    }
}

Describe 'Set-AlexaDataSetting: a shorter retention asks first' {
    BeforeAll {
        # A runspace without a user interface: a prompt there is an answer of No (and a warning).
        function Invoke-WithoutUser {
            param([scriptblock] $Script, [object[]] $Arguments)
            $ps = [powershell]::Create()
            $null = $ps.AddScript("Import-Module '$ModulePath'").AddStatement().AddScript($Script)
            foreach ($a in $Arguments) { $null = $ps.AddArgument($a) }
            $handle = $ps.BeginInvoke()
            if (-not $handle.AsyncWaitHandle.WaitOne(120000)) { $null = $ps.BeginStop($null, $null); throw 'The command did not return within 120 s.' }
            [pscustomobject]@{ Output = @($ps.EndInvoke($handle)); Warnings = @($ps.Streams.Warning); Errors = @($ps.Streams.Error) }
            $ps.Dispose()
        }
    }

    It 'asks before it shortens the retention, and answered No changes nothing' {
        $t = Connect-Seeded @{ VoiceRecordingRetention = 'UntilDeleted' }
        $run = Invoke-WithAnswer -Answer 'No' -Arguments $t.Session -Script { param($s) Set-AlexaDataSetting -Session $s -Name VoiceRecordingRetention -Value ThreeMonths -PassThru }
        $run.Prompts.Count | Should -Be 1
        $run.Prompts[0] | Should -Match 'older than the new period'
        (Get-Stored $t.Email).VoiceRecordingRetention | Should -Be 'UntilDeleted'
        $run = Invoke-WithAnswer -Answer 'Yes' -Arguments $t.Session -Script { param($s) Set-AlexaDataSetting -Session $s -Name VoiceRecordingRetention -Value ThreeMonths -PassThru }
        $run.Prompts.Count | Should -Be 1
        (Get-Stored $t.Email).VoiceRecordingRetention | Should -Be 'ThreeMonths'
        # Lengthening asks nothing.
        $run = Invoke-WithAnswer -Answer 'No' -Arguments $t.Session -Script { param($s) Set-AlexaDataSetting -Session $s -Name VoiceRecordingRetention -Value EighteenMonths -PassThru }
        $run.Prompts.Count | Should -Be 0
        (Get-Stored $t.Email).VoiceRecordingRetention | Should -Be 'EighteenMonths'
        Disconnect-AlexaAccount -Session $t.Session
    }

    It 'offers Yes to All and No to All, with No as the default: Enter alone does not shorten the retention' {
        $t = Connect-Seeded @{ VoiceRecordingRetention = 'UntilDeleted' }
        $run = Invoke-WithAnswer -Answer 'Enter' -Arguments $t.Session -Script { param($s) Set-AlexaDataSetting -Session $s -Name VoiceRecordingRetention -Value ThreeMonths }
        $run.Prompts.Count | Should -Be 1
        $run.Choices[0] | Should -Be 'Yes|Yes to All|*No|No to All|Suspend'
        (Get-Stored $t.Email).VoiceRecordingRetention | Should -Be 'UntilDeleted'
        Disconnect-AlexaAccount -Session $t.Session
    }

    It 'does not shorten the retention without -Force when no one can be asked' {
        $t = Connect-Seeded @{ VoiceRecordingRetention = 'UntilDeleted' }
        $run = Invoke-WithoutUser -Arguments $t.Session -Script { param($s) Set-AlexaDataSetting -Session $s -Name VoiceRecordingRetention -Value ThreeMonths -PassThru }
        (Get-Stored $t.Email).VoiceRecordingRetention | Should -Be 'UntilDeleted'
        $run.Errors.Count | Should -Be 1
        $run.Errors[0].FullyQualifiedErrorId | Should -BeLike 'AlexaConfirmationRequired,*'
        Disconnect-AlexaAccount -Session $t.Session
    }

    It 'shortens the retention with -Force, and lengthens it without asking' {
        $t = Connect-Seeded @{ VoiceRecordingRetention = 'EighteenMonths' }
        $run = Invoke-WithoutUser -Arguments $t.Session -Script { param($s) Set-AlexaDataSetting -Session $s -Name VoiceRecordingRetention -Value ThreeMonths -Force -PassThru }
        $run.Errors | Should -BeNullOrEmpty
        (Get-Stored $t.Email).VoiceRecordingRetention | Should -Be 'ThreeMonths'
        $run = Invoke-WithoutUser -Arguments $t.Session -Script { param($s) Set-AlexaDataSetting -Session $s -Name VoiceRecordingRetention -Value UntilDeleted -PassThru }
        $run.Errors | Should -BeNullOrEmpty
        $run.Warnings | Should -BeNullOrEmpty
        (Get-Stored $t.Email).VoiceRecordingRetention | Should -Be 'UntilDeleted'
        Disconnect-AlexaAccount -Session $t.Session
    }
}
