# Settings piped from Get-AlexaDataSetting into Set- and Test-AlexaDataSetting (each carries the
# session that read it), with and without -Session; -Name patterns; completion; the change table.
BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    Import-Module $ModulePath -Force
    $script:Replica = Start-TestReplica
    $script:Base = $Replica.BaseUri

    function Connect-Seeded {
        param([hashtable] $Settings = @{ VoiceRecordingReview = $true; MessageTranscription = $true; DeletionByVoice = $true; VoiceRecordingRetention = 'EighteenMonths' })
        $account = New-ReplicaAccount $Replica -Settings $Settings
        $session = Connect-AlexaAccount -Email $account.Email -Password $account.SecurePassword -BaseUri $Base
        [pscustomobject]@{ Session = $session; Email = $account.Email }
    }
    function Complete { param([string] $Line) (TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches.CompletionText }
}

AfterAll {
    Get-Module AlexaPrivacy | Remove-Module -Force
    Stop-TestReplica $Replica
}

Describe 'Set-AlexaDataSetting with settings piped from Get-AlexaDataSetting' {
    It 'turns off every switch without -Session, in the account that read them, and leaves the retention choice with a warning' {
        $t = Connect-Seeded
        $other = Connect-Seeded # the current session now: the change must not go there
        $changes = Get-AlexaDataSetting -Session $t.Session | Set-AlexaDataSetting -Enabled $false -Confirm:$false -PassThru -ErrorAction Stop -WarningVariable warned -WarningAction SilentlyContinue
        @($changes).Count | Should -Be 3
        $changes.Account | Sort-Object -Unique | Should -Be $t.Email
        $changes.NewValue | Sort-Object -Unique | Should -Be 'Off'
        $stored = Get-Stored $t.Email
        $stored.VoiceRecordingReview | Should -BeFalse
        $stored.MessageTranscription | Should -BeFalse
        $stored.DeletionByVoice | Should -BeFalse
        $stored.VoiceRecordingRetention | Should -Be 'EighteenMonths'
        "$warned" | Should -BeLike "$($t.Email): VoiceRecordingRetention is not a switch*"
        (Get-Stored $other.Email).VoiceRecordingReview | Should -BeTrue
        Disconnect-AlexaAccount -All
    }

    It 'works with -Session given, and takes -Value On/Off for a switch' {
        $t = Connect-Seeded
        $change = Get-AlexaDataSetting -Session $t.Session -Name DeletionByVoice | Set-AlexaDataSetting -Session $t.Session -Value Off -Confirm:$false -PassThru -ErrorAction Stop
        $change.Setting | Should -Be 'DeletionByVoice'
        $change.NewValue | Should -Be 'Off'
        (Get-Stored $t.Email).DeletionByVoice | Should -BeFalse
        Disconnect-AlexaAccount -Session $t.Session
    }

    It 'refuses a setting of another account than -Session with AlexaSessionMismatch and changes nothing' {
        $t = Connect-Seeded
        $other = Connect-Seeded
        $setting = Get-AlexaDataSetting -Session $t.Session -Name VoiceRecordingReview
        $out = $setting | Set-AlexaDataSetting -Session $other.Session -Enabled $false -Confirm:$false -PassThru -ErrorVariable failed -ErrorAction SilentlyContinue
        $out | Should -BeNullOrEmpty
        $failed.Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -Be 'AlexaSessionMismatch,AlexaPrivacy.Commands.SetAlexaDataSettingCommand'
        $failed[0].Exception.Message | Should -Match ([regex]::Escape($t.Email))
        $failed[0].Exception.Message | Should -Match ([regex]::Escape($other.Email))
        $failed[0].TargetObject | Should -Be $setting
        (Get-Stored $t.Email).VoiceRecordingReview | Should -BeTrue
        (Get-Stored $other.Email).VoiceRecordingReview | Should -BeTrue
        Disconnect-AlexaAccount -All
    }

    It 'shows the change table with whole setting names and values' {
        $t = Connect-Seeded
        $change = Set-AlexaDataSetting -Session $t.Session -Name VoiceRecordingRetention -Value UntilDeleted -Confirm:$false -PassThru
        $table = $change | Format-Table | Out-String -Width 100
        $table | Should -Match "$([regex]::Escape($t.Email)) +VoiceRecordingRetention +EighteenMonths +UntilDeleted +True"
        $table | Should -Not -Match '…'
        # Narrower, the setting and its values still show whole.
        $change | Format-Table | Out-String -Width 80 | Should -Match 'VoiceRecordingRetention +EighteenMonths +UntilDeleted'
        Disconnect-AlexaAccount -Session $t.Session
    }
}

Describe 'Test-AlexaDataSetting with settings piped from Get-AlexaDataSetting' {
    It 'tests each piped setting without -Session, with -Session, and refuses another account''s' {
        $t = Connect-Seeded @{ VoiceRecordingReview = $false; MessageTranscription = $true; DeletionByVoice = $false }
        $other = Connect-Seeded
        $settings = @(Get-AlexaDataSetting -Session $t.Session -Name VoiceRecordingReview, MessageTranscription)
        $settings | Test-AlexaDataSetting -Enabled $false -ErrorAction Stop | Should -Be @($true, $false)
        $settings | Test-AlexaDataSetting -Session $t.Session -Enabled $false -ErrorAction Stop | Should -Be @($true, $false)
        $out = $settings | Test-AlexaDataSetting -Session $other.Session -Enabled $false -ErrorVariable failed -ErrorAction SilentlyContinue
        $out | Should -BeNullOrEmpty
        $failed.Count | Should -Be 2
        $failed.FullyQualifiedErrorId | Sort-Object -Unique | Should -Be 'AlexaSessionMismatch,AlexaPrivacy.Commands.TestAlexaDataSettingCommand'
        Disconnect-AlexaAccount -All
    }
}

Describe 'Get-AlexaDataSetting -Name' {
    It 'takes several names and wildcards, each setting once' {
        $t = Connect-Seeded
        $settings = @(Get-AlexaDataSetting -Session $t.Session -Name 'voice*', 'DeletionByVoice', 'VoiceRecordingReview')
        $settings.Name | Should -Be @('VoiceRecordingReview', 'VoiceRecordingRetention', 'DeletionByVoice')
        @(Get-AlexaDataSetting -Session $t.Session -Name '*Transcription').Name | Should -Be 'MessageTranscription'
        @(Get-AlexaDataSetting -Session $t.Session -Name 'Nothing*').Count | Should -Be 0
        $out = Get-AlexaDataSetting -Session $t.Session -Name 'NoSuchSetting' -ErrorVariable failed -ErrorAction SilentlyContinue
        $out | Should -BeNullOrEmpty
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'AlexaInvalidInput,*'
        $failed[0].Exception.Message | Should -BeLike "$($t.Email): 'NoSuchSetting' is not a setting*"
        Disconnect-AlexaAccount -Session $t.Session
    }
}

Describe 'Completion' {
    It 'completes -Enabled with $true and $false' {
        Complete 'Set-AlexaDataSetting -Enabled ' | Should -Be @('$true', '$false')
        Complete 'Test-AlexaDataSetting -Enabled f' | Should -Be @('$false')
    }

    It 'completes -Value for the setting -Name names' {
        Complete 'Set-AlexaDataSetting -Name VoiceRecordingRetention -Value ' | Should -Be @('DontSave', 'ThreeMonths', 'EighteenMonths', 'UntilDeleted')
        Complete 'Set-AlexaDataSetting -Name DeletionByVoice -Value ' | Should -Be @('On', 'Off')
        Complete 'Test-AlexaDataSetting -Name MessageTranscription -Value o' | Should -Be @('On', 'Off')
    }

    It 'completes -Marketplace by any part of its name' {
        Complete 'Connect-AlexaAccount -Marketplace uk' | Should -Be @('amazon.co.uk')
        Complete 'Get-AlexaDataSetting -Marketplace .co' | Should -Contain 'amazon.co.jp'
        Complete 'Get-AlexaDataSetting -Marketplace amazon.de' | Should -Be @('amazon.de')
    }
}
