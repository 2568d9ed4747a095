# The site profile and surviving Amazon's page changes: the profile in force, overrides (good and
# malformed), both page generations, a renamed label and a removed setting.
BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    Import-Module $ModulePath -Force
    $script:Replica = Start-TestReplica
    $script:Base = $Replica.BaseUri
    $env:ALEXAPRIVACY_DIAGNOSTICS_PATH = Join-Path $TestDrive 'diagnostics'

    function Connect-Seeded {
        param([hashtable] $Settings, [string] $SiteProfile)
        $account = New-ReplicaAccount $Replica -Settings $Settings
        $extra = @{}
        if ($SiteProfile) { $extra.SiteProfile = $SiteProfile }
        $session = Connect-AlexaAccount -Email $account.Email -Password $account.SecurePassword -BaseUri $Base @extra
        [pscustomobject]@{ Account = $account; Session = $session; Email = $account.Email }
    }
    function Write-Override {
        param([string] $Name, [string] $Json)
        $path = Join-Path $TestDrive $Name
        Set-Content -Path $path -Value $Json
        $path
    }
}

AfterAll {
    Remove-Item Env:ALEXAPRIVACY_DIAGNOSTICS_PATH, Env:ALEXAPRIVACY_SITE_PROFILE -ErrorAction SilentlyContinue
    Get-Module AlexaPrivacy | Remove-Module -Force
    Stop-TestReplica $Replica
}

Describe 'Get-AlexaSiteProfile' {
    It 'shows the embedded profile with every marketplace of the contract' {
        $profile = Get-AlexaSiteProfile
        $profile.Source | Should -Be 'embedded'
        $profile.Marketplaces.Count | Should -Be 12
        $profile.Marketplaces['amazon.co.jp'].CookieSuffix | Should -Be 'acbjp'
        $profile.Languages['en'].Generations['2019']['VoiceRecordingReview'] | Should -Be 'Help Improve Amazon Services and Develop New Features'
        $text = $profile | Out-String
        $text | Should -Match 'amazon\.de \(acbde, de_DE\)'
        $text | Should -Match 'en 2025 VoiceRecordingReview: Use of Voice Recordings'
    }

    It 'lays an override file over the embedded profile, keeping what it does not name' {
        $path = Write-Override 'renamed.json' '{ "languages": { "en": { "generations": { "2025": { "VoiceRecordingReview": "Voice Recordings Review" } } } } }'
        $profile = Get-AlexaSiteProfile -Path $path
        $profile.Source | Should -Be $path
        $profile.Languages['en'].Generations['2025']['VoiceRecordingReview'] | Should -Be 'Voice Recordings Review'
        $profile.Languages['en'].Generations['2025']['DeletionByVoice'] | Should -Be 'Enable Deletion by Voice'
        ((Get-AlexaSiteProfile -AsJson) | ConvertFrom-Json).marketplaces.'amazon.de'.cookieSuffix | Should -Be 'acbde'
    }

    It 'rejects a malformed override with AlexaSiteProfileInvalid naming <Field>' -ForEach @(
        @{ Json = '{ "paths": { "hub": "" } }'; Field = 'paths.hub' }
        @{ Json = '{ "timeouts": { "actionSeconds": "soon" } }'; Field = 'timeouts.actionSeconds' }
        @{ Json = '{ "marketplaces": { "amazon.nl": { "host": "www.amazon.nl" } } }'; Field = 'marketplaces.amazon.nl.host' }
        @{ Json = '{ "languages": { "en": { "settings"'; Field = 'not valid JSON' }
    ) {
        $path = Write-Override 'bad.json' $Json
        { Get-AlexaSiteProfile -Path $path -ErrorAction Stop } | Should -Throw -ErrorId 'AlexaSiteProfileInvalid*' -ExpectedMessage "*$Field*"
    }

    It 'stops a data cmdlet before any sign-in when $env:ALEXAPRIVACY_SITE_PROFILE is malformed' {
        $account = New-ReplicaAccount $Replica
        $env:ALEXAPRIVACY_SITE_PROFILE = Write-Override 'env-bad.json' '{ "fallbackLanguage": null }'
        try {
            $thrown = $null
            try { Get-AlexaDataSetting -Email $account.Email -Password $account.SecurePassword -BaseUri $Base -ErrorAction Stop }
            catch { $thrown = $_ }
            $thrown.FullyQualifiedErrorId | Should -BeLike 'AlexaSiteProfileInvalid*'
            $thrown.Exception.Message | Should -Match "'fallbackLanguage'"
            (Get-ReplicaAccount $Replica $account.Email).signInCount | Should -Be 0
        }
        finally { Remove-Item Env:ALEXAPRIVACY_SITE_PROFILE }
    }
}

Describe 'Amazon renames a label' {
    AfterEach { Set-ReplicaFault $Replica @{} }

    It 'names exactly the label that moved, with a screenshot, and finds the rest' {
        $t = Connect-Seeded
        Set-ReplicaFault $Replica @{ labelOverrides = @{ 'Use of Voice Recordings' = 'Voice Recordings Review' } }
        $warnings = $null
        $checks = Test-AlexaSiteCompatibility -Session $t.Session -WarningVariable warnings -WarningAction SilentlyContinue
        $missing = @($checks | Where-Object { -not $_.Found })
        $missing.Count | Should -Be 1
        $missing[0].Page | Should -Be 'Settings'
        $missing[0].Label | Should -Be 'generations.2025.VoiceRecordingReview'
        $missing[0].Text | Should -Be 'Use of Voice Recordings'
        $missing[0].ScreenshotPath | Should -Exist
        $missing[0].ScreenshotPath | Should -BeLike "$env:ALEXAPRIVACY_DIAGNOSTICS_PATH*"
        ($checks | Where-Object Found).Count | Should -BeGreaterThan 10
        $warnings | Should -Match "'Use of Voice Recordings'"
        Disconnect-AlexaAccount -Session $t.Session
    }

    It 'follows the renamed label with -SiteProfile, without a new build' {
        Set-ReplicaFault $Replica @{ labelOverrides = @{ 'Use of Voice Recordings' = 'Voice Recordings Review' } }
        $account = New-ReplicaAccount $Replica -Settings @{ VoiceRecordingReview = $true }
        $err = $null
        $null = Get-AlexaDataSetting -Email $account.Email -Password $account.SecurePassword -BaseUri $Base -Name VoiceRecordingReview -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'AlexaSettingUnavailable*'

        $path = Write-Override 'follow.json' '{ "languages": { "en": { "generations": { "2025": { "VoiceRecordingReview": "Voice Recordings Review" } } } } }'
        $change = Set-AlexaDataSetting -Email $account.Email -Password $account.SecurePassword -BaseUri $Base -SiteProfile $path -Enabled $false -Confirm:$false -PassThru
        $change.NewValue | Should -Be 'Off'
        (Get-ReplicaAccount $Replica $account.Email).settings.VoiceRecordingReview | Should -BeFalse
        $t = Connect-Seeded -SiteProfile $path
        (Test-AlexaSiteCompatibility -Session $t.Session -MissingOnly) | Should -BeNullOrEmpty
        Disconnect-AlexaAccount -Session $t.Session
    }
}

Describe 'Amazon removes a setting' {
    AfterEach { Set-ReplicaFault $Replica @{} }

    It 'reports AlexaSettingUnavailable for that setting and account and reads the others' {
        $t = Connect-Seeded @{ VoiceRecordingReview = $true; DeletionByVoice = $true }
        Set-ReplicaFault $Replica @{ removedSettings = @('MessageTranscription') }
        $err = $null
        $settings = Get-AlexaDataSetting -Session $t.Session -ErrorVariable err -ErrorAction SilentlyContinue
        @($settings.Name | Sort-Object) | Should -Be @('DeletionByVoice', 'VoiceRecordingRetention', 'VoiceRecordingReview')
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'AlexaSettingUnavailable*'
        $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $err[0].Exception.Message | Should -Match 'MessageTranscription'
        $err[0].Exception.Message | Should -Match ([regex]::Escape($t.Email))

        $change = Set-AlexaDataSetting -Session $t.Session -Enabled $false -Confirm:$false -PassThru
        $change.NewValue | Should -Be 'Off'
        (Get-ReplicaAccount $Replica $t.Email).settings.VoiceRecordingReview | Should -BeFalse

        $err = $null
        Set-AlexaDataSetting -Session $t.Session -Name MessageTranscription -Enabled $false -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'AlexaSettingUnavailable*'

        $missing = @(Test-AlexaSiteCompatibility -Session $t.Session -MissingOnly -WarningAction SilentlyContinue)
        $missing.Label | Should -Be @('generations.2025.MessageTranscription')
        Disconnect-AlexaAccount -Session $t.Session
    }
}

Describe 'Both page generations' {
    AfterEach { Set-ReplicaFault $Replica @{} }

    It 'finds every label of the <Generation> generation on every page' -ForEach @(@{ Generation = '2025' }, @{ Generation = '2019' }) {
        Set-ReplicaFault $Replica @{ generation = $Generation }
        $t = Connect-Seeded
        $checks = Test-AlexaSiteCompatibility -Session $t.Session
        $checks | Where-Object { -not $_.Found } | Should -BeNullOrEmpty
        @($checks.Page | Sort-Object -Unique) | Should -Be @('Hub', 'Settings', 'VoiceHistory')
        ($checks | Where-Object Page -eq 'Settings').PageGeneration | Sort-Object -Unique | Should -Be $Generation
        $checks.Label | Should -Contain "generations.$Generation.VoiceRecordingReview"
        $checks.Label | Should -Contain 'voiceHistory.deleteAll'
        $checks.Label | Should -Contain 'hub.settingsLink'
        ($checks | Out-String) | Should -Match ('Settings\s+' + $Generation)
        Disconnect-AlexaAccount -Session $t.Session
    }

    It 'opens the 2019 boxes and turns off human review there' {
        Set-ReplicaFault $Replica @{ generation = '2019' }
        $t = Connect-Seeded @{ VoiceRecordingReview = $true }
        $setting = Get-AlexaDataSetting -Session $t.Session -Name VoiceRecordingReview
        $setting.PageGeneration | Should -Be '2019'
        $setting.DisplayName | Should -Be 'Help Improve Amazon Services and Develop New Features'
        Set-AlexaDataSetting -Session $t.Session -Enabled $false -Confirm:$false
        (Get-ReplicaAccount $Replica $t.Email).settings.VoiceRecordingReview | Should -BeFalse
        Disconnect-AlexaAccount -Session $t.Session
    }
}
