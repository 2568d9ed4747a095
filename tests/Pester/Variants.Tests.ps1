# The main behaviours on the default rendering and on fixed variant seeds of the replica: every
# seed renders the site contract another allowed way (ARIA or native controls, combined filters,
# hidden duplicates, late dialogs, re-rendered views, ...). Each block names its seed, so a failure
# can be replayed with $env:ALEXAPRIVACY_TEST_VARIANT = <seed>.
BeforeDiscovery {
    # ALEXAPRIVACY_TEST_SEEDS (comma-separated) or ALEXAPRIVACY_TEST_VARIANT choose the seeds; the
    # default is the plain rendering and three fixed seeds, chosen so that the voice history freedoms
    # are each covered: a custom range applied on change (11), on "Apply" (23) and on Enter (131); the
    # device filter in the feed (11, 23) and in the page (131); "Delete all" sending the filters (23) or
    # the loaded keys (11, 131); feed pages of 50 (11) and of 10 (23, 131).
    $seeds = if ($env:ALEXAPRIVACY_TEST_SEEDS) { @($env:ALEXAPRIVACY_TEST_SEEDS -split ',' | ForEach-Object { [int]$_ }) }
    elseif ($env:ALEXAPRIVACY_TEST_VARIANT) { @([int]$env:ALEXAPRIVACY_TEST_VARIANT) }
    else { @($null, 11, 23, 131) }
    $script:Renderings = foreach ($s in $seeds) {
        @{ Seed = $s; Rendering = if ($null -eq $s) { 'the default rendering' } else { "variant seed $s" } }
    }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    Import-Module $ModulePath -Force
}

AfterAll {
    Get-Module AlexaPrivacy | Remove-Module -Force
}

Describe 'On <Rendering>' -ForEach $Renderings {
    BeforeAll {
        # One replica per seed; $null is the default rendering even when a seed is set in the environment.
        $arguments = @()
        if ($null -ne $Seed) { $arguments = @('--variant', "$Seed") }
        $saved = $env:ALEXAPRIVACY_TEST_VARIANT
        $env:ALEXAPRIVACY_TEST_VARIANT = $null
        try { $script:Replica = Start-TestReplica -Arguments $arguments } finally { $env:ALEXAPRIVACY_TEST_VARIANT = $saved }
        $script:Base = $Replica.BaseUri
        $script:Freedoms = if ($null -ne $Seed) { (Invoke-ReplicaAdmin $Replica -Path '/__replica/variant').freedoms | ConvertTo-Json -Compress } else { 'default' }
        Write-Host "Seed $Seed renders: $Freedoms"

    }
    AfterAll { Stop-TestReplica $Replica }
    AfterEach { Set-ReplicaFault $Replica @{} }

    It 'signs in with and without a one-time code, reads every setting, and turns off human review (<Rendering>)' {
        $plain = New-ReplicaAccount $Replica -Settings @{ VoiceRecordingReview = $true; MessageTranscription = $false; VoiceRecordingRetention = 'EighteenMonths' }
        $totp = New-ReplicaAccount $Replica -TotpSecret (New-TestTotpKey) -Settings @{ VoiceRecordingReview = $true }
        $s1 = Connect-AlexaAccount -Email $plain.Email -Password $plain.SecurePassword -BaseUri $Base
        $s2 = Connect-AlexaAccount -Email $totp.Email -Password $totp.SecurePassword -TotpSecret (ConvertTo-TestSecureString $totp.TotpSecret) -BaseUri $Base
        $settings = @(Get-AlexaDataSetting -Session $s1)
        ($settings | Where-Object Name -EQ VoiceRecordingReview).Value | Should -Be 'On'
        ($settings | Where-Object Name -EQ MessageTranscription).Value | Should -Be 'Off'
        ($settings | Where-Object Name -EQ VoiceRecordingRetention).Value | Should -Be 'EighteenMonths'
        foreach ($s in $s1, $s2) {
            $change = Set-AlexaDataSetting -Session $s -Enabled $false -Confirm:$false -PassThru
            $change.Changed | Should -BeTrue
        }
        (Get-Stored $plain.Email).VoiceRecordingReview | Should -BeFalse
        (Get-Stored $totp.Email).VoiceRecordingReview | Should -BeFalse
        (Get-Stored $plain.Email).PersonalizationDecoy | Should -BeTrue
        Set-AlexaDataSetting -Session $s1 -Name VoiceRecordingRetention -Value ThreeMonths -Confirm:$false
        (Get-Stored $plain.Email).VoiceRecordingRetention | Should -Be 'ThreeMonths'
        Disconnect-AlexaAccount -Session $s1
        Disconnect-AlexaAccount -Session $s2
    }

    It 'turns off human review on the 2019 page through its box and "Turn Off" (<Rendering>)' {
        Set-ReplicaFault $Replica @{ generation = '2019' }
        $a = New-ReplicaAccount $Replica -Settings @{ VoiceRecordingReview = $true; DeletionByVoice = $true }
        $change = Set-AlexaDataSetting -Email $a.Email -Password $a.SecurePassword -BaseUri $Base -Enabled $false -Confirm:$false -PassThru
        $change.Changed | Should -BeTrue
        (Get-Stored $a.Email).VoiceRecordingReview | Should -BeFalse
        (Get-Stored $a.Email).DeletionByVoice | Should -BeTrue
        (Get-Stored $a.Email).PersonalizationDecoy | Should -BeTrue
    }

    It 'works when the pages come in German (<Rendering>)' {
        Set-ReplicaFault $Replica @{ language = 'de_DE' }
        $a = New-ReplicaAccount $Replica -Settings @{ VoiceRecordingReview = $true }
        Set-AlexaDataSetting -Email $a.Email -Password $a.SecurePassword -BaseUri $Base -Enabled $false -Confirm:$false
        (Get-Stored $a.Email).VoiceRecordingReview | Should -BeFalse
    }

    It 'reports a removed setting as AlexaSettingUnavailable and reads the others (<Rendering>)' {
        Set-ReplicaFault $Replica @{ removedSettings = @('MessageTranscription') }
        $a = New-ReplicaAccount $Replica
        $err = $null
        $settings = @(Get-AlexaDataSetting -Email $a.Email -Password $a.SecurePassword -BaseUri $Base -ErrorVariable err -ErrorAction SilentlyContinue)
        @($err).Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'AlexaSettingUnavailable*'
        ($settings.Name | Sort-Object) | Should -Be @('DeletionByVoice', 'VoiceRecordingRetention', 'VoiceRecordingReview')
    }

    It 'lists, exports, deletes a range through the filters and deletes piped records (<Rendering>)' {
        $a = New-ReplicaAccount $Replica
        Add-Records $a.Email @(foreach ($day in -4..-1) {
                foreach ($hour in 8, 13, 20) {
                    @{ timestamp = (Get-Ms $day $hour); device = 'Kitchen Echo'; transcript = "kitchen $day $hour"; response = 'Okay.' }
                    @{ timestamp = (Get-Ms $day ($hour + 0.5)); device = 'Bedroom Echo Dot'; transcript = "bedroom $day $hour" }
                }
            })
        $s = Connect-AlexaAccount -Email $a.Email -Password $a.SecurePassword -BaseUri $Base
        $before = @(Get-StoredRecords $a.Email)
        $listed = @(Get-AlexaVoiceHistory -Session $s)
        $listed.Count | Should -Be 24
        $path = Join-Path $TestDrive "history-$Seed.csv"
        Export-AlexaVoiceHistory -Session $s -Path $path -Device 'Bedroom Echo Dot'
        @(Import-Csv $path).Count | Should -Be 12

        $after = $Midnight.AddDays(-4); $until = $Midnight.AddDays(-2)
        $expected = @($before | Where-Object { $_.device -eq 'Kitchen Echo' -and $_.timestamp -ge $after.ToUnixTimeMilliseconds() -and $_.timestamp -lt $until.ToUnixTimeMilliseconds() })
        $result = Remove-AlexaVoiceHistory -Session $s -After $after.DateTime -Before $until.DateTime -Device 'Kitchen Echo' -Confirm:$false
        $result.Deleted | Should -Be $expected.Count
        $result.Method | Should -Be 'Filter'
        $left = @(Get-StoredRecords $a.Email)
        @(Compare-Object ($left.key) ($before.key | Where-Object { $_ -notin $expected.key })).Count | Should -Be 0

        # A whole day on every device: the custom range alone, confirmed as the page wants it.
        $day = $Midnight.AddDays(-2)
        $expected2 = @($left | Where-Object { $_.timestamp -ge $day.ToUnixTimeMilliseconds() -and $_.timestamp -lt $Midnight.AddDays(-1).ToUnixTimeMilliseconds() })
        $expected2.Count | Should -Be 6
        $result2 = Remove-AlexaVoiceHistory -Session $s -After $day.DateTime -Before $Midnight.AddDays(-1).DateTime -Confirm:$false
        $result2.Deleted | Should -Be 6
        $result2.Method | Should -Be 'Filter'
        $left2 = @(Get-StoredRecords $a.Email)
        @(Compare-Object ($left2.key) ($left.key | Where-Object { $_ -notin $expected2.key })).Count | Should -Be 0

        $piped = Get-AlexaVoiceHistory -Session $s | Where-Object Transcript -Match '^bedroom -1 '
        $gone = @($piped).Count
        $gone | Should -Be 3
        $removed = $piped | Remove-AlexaVoiceHistory -Confirm:$false
        $removed.Deleted | Should -Be 3
        $removed.Method | Should -Be 'PerRecord'
        $left3 = @(Get-StoredRecords $a.Email)
        @(Compare-Object ($left3.key) ($left2.key | Where-Object { $_ -notin $piped.Key })).Count | Should -Be 0
        Disconnect-AlexaAccount -Session $s
    }

    It 'deletes by policy exactly the recordings older than its age, day by day through the filters (<Rendering>)' {
        $a = New-ReplicaAccount $Replica -Settings @{ VoiceRecordingReview = $false }
        Add-Records $a.Email @(foreach ($day in -10, -9, -3, -2) {
                foreach ($hour in 9, 18) {
                    @{ timestamp = (Get-Ms $day $hour); device = 'Kitchen Echo'; transcript = "kitchen $day $hour" }
                    @{ timestamp = (Get-Ms $day ($hour + 1)); device = 'Bedroom Echo Dot'; transcript = "bedroom $day $hour" }
                }
            })
        $before = @(Get-StoredRecords $a.Email)
        $cutoff = [DateTimeOffset]::Now.AddDays(-7).ToUnixTimeMilliseconds()
        $expected = @($before | Where-Object timestamp -LT $cutoff)
        $expected.Count | Should -Be 8
        $errors = $null
        $result = Set-AlexaPrivacyPolicy -Policy @{ DeleteRecordingsOlderThan = 7 } -Email $a.Email -Password $a.SecurePassword -BaseUri $Base -Confirm:$false -ErrorVariable errors -ErrorAction SilentlyContinue
        $errors | Should -BeNullOrEmpty
        $result.Deletion.Deleted | Should -Be 8
        $left = @(Get-StoredRecords $a.Email)
        @(Compare-Object ($left.key) ($before.key | Where-Object { $_ -notin $expected.key })).Count | Should -Be 0
    }

    It 'opts out the good rows of a CSV and reports each bad row (<Rendering>)' {
        $good = New-ReplicaAccount $Replica -Settings @{ VoiceRecordingReview = $true }
        $wrong = New-ReplicaAccount $Replica -Settings @{ VoiceRecordingReview = $true }
        $rows = @(
            [pscustomobject]@{ Email = $good.Email; Password = $good.Password }
            [pscustomobject]@{ Email = $wrong.Email; Password = 'not-the-password' }
            [pscustomobject]@{ Email = ''; Password = 'orphan' }
        )
        $errors = $null
        $results = $rows | Set-AlexaDataSetting -BaseUri $Base -Enabled $false -Confirm:$false -PassThru -ErrorVariable errors -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        @($results).Count | Should -Be 1
        $results.Account | Should -Be $good.Email
        @($errors).Count | Should -Be 2
        ($errors.FullyQualifiedErrorId | ForEach-Object { ($_ -split ',')[0] } | Sort-Object) | Should -Be @('AlexaAuthenticationFailed', 'AlexaInvalidInput')
        (Get-Stored $good.Email).VoiceRecordingReview | Should -BeFalse
        (Get-ReplicaAccount $Replica $wrong.Email).failedPasswordCount | Should -Be 1
    }

    It 'chooses the password over a passkey and declines the pages shown after the sign-in (<Rendering>)' {
        Set-ReplicaFault $Replica @{ interstitials = @('phone', 'passkey') }
        $a = New-ReplicaAccount $Replica -Passkey -TotpSecret (New-TestTotpKey) -Settings @{ VoiceRecordingReview = $true }
        $output = Set-AlexaDataSetting -Email $a.Email -Password $a.SecurePassword -TotpSecret (ConvertTo-TestSecureString $a.TotpSecret) -BaseUri $Base -Enabled $false -Confirm:$false -Verbose 4>&1
        $verbose = ($output | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message -join "`n"
        $verbose | Should -Match 'passkey'
        $verbose | Should -Match 'declining'
        (Get-Stored $a.Email).VoiceRecordingReview | Should -BeFalse
        $signIns = Invoke-ReplicaAdmin $Replica -Path "/__replica/accounts/$([uri]::EscapeDataString($a.Email))/sign-ins"
        $signIns.passwordsReceived | Should -Be 1
        @($signIns.codesReceived).Count | Should -Be 1
    }

    It 'opts out every account when 15 % of all requests are answered 503 (<Rendering>)' {
        $accounts = @(
            New-ReplicaAccount $Replica -Settings @{ VoiceRecordingReview = $true }
            New-ReplicaAccount $Replica -TotpSecret (New-TestTotpKey) -Settings @{ VoiceRecordingReview = $true }
        )
        Set-ReplicaFault $Replica @{ throttleRate = @{ rate = 0.15; status = 503 }; latencyMs = @(100, 300); pageLatencyMs = @(50, 200) }
        $rows = $accounts | ForEach-Object { [pscustomobject]@{ Email = $_.Email; Password = $_.Password; TotpSecret = $_.TotpSecret } }
        $errors = $null
        $output = $rows | Set-AlexaDataSetting -BaseUri $Base -Enabled $false -Confirm:$false -PassThru -ErrorVariable errors -ErrorAction SilentlyContinue -WarningAction SilentlyContinue -Verbose 4>&1
        $errors | Should -BeNullOrEmpty
        @($output | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] }).Count | Should -Be 2
        foreach ($a in $accounts) { (Get-Stored $a.Email).VoiceRecordingReview | Should -BeFalse }
    }
}
