# Set-AlexaPrivacyPolicy with DeleteRecordingsOlderThan on a long history: whole days go through the
# page's filters and "Delete all of my recordings" (a run of days at a time, at most
# limits.recordsPerFilter records a run), the cutoff's own day one by one. The test checks the records
# the replica stores, and that a second run changes nothing. With ALEXAPRIVACY_TEST_VARIANT it runs on
# that variant rendering.
BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    Import-Module $ModulePath -Force
    $script:Replica = Start-TestReplica
    $script:Base = $Replica.BaseUri
    $script:Freedoms = (Invoke-ReplicaAdmin $Replica -Path '/__replica/variant') | ConvertTo-Json -Compress
    Write-Host "The replica renders: $Freedoms"
}

AfterAll {
    Get-Module AlexaPrivacy | Remove-Module -Force
    Stop-TestReplica $Replica
}

Describe 'Deleting recordings older than a cutoff from 18 months of history' {
    It 'deletes exactly the recordings older than the cutoff, whole days through the filters, and a second run deletes none' {
        $now = [DateTimeOffset]::Now
        $cutoff = $now.AddDays(-30)
        $devices = 'Kitchen Echo', 'Bedroom Echo Dot', 'Office Echo Show'
        # 300 records about 44 hours apart over 18 months, none within 18 hours of the cutoff; then two earlier
        # on the cutoff's own day (so that this day is deleted only in part) and two 3 and 5 hours after it.
        $room = ($cutoff - [DateTimeOffset]::new($cutoff.LocalDateTime.Date)).TotalHours
        $records = @(for ($i = 0; $i -lt 300; $i++) {
            @{ timestamp = $now.AddHours(-1 - $i * 43.8).ToUnixTimeMilliseconds(); device = $devices[$i % 3]; transcript = "record $i" }
        }) + @(foreach ($hours in (-$room / 2), (-$room / 4), 3, 5) {
            @{ timestamp = $cutoff.AddHours($hours).ToUnixTimeMilliseconds(); device = 'Kitchen Echo'; transcript = "near the cutoff $hours" }
        })
        $account = New-ReplicaAccount $Replica
        Add-Records $account.Email $records
        $stored = @(Get-StoredRecords $account.Email)
        $stored.Count | Should -Be 304
        # A run of the filters holds at most 100 records here, so that 18 months take several runs.
        $profilePath = Join-Path $TestDrive 'runs-of-100.json'
        Set-Content -Path $profilePath -Value '{ "limits": { "recordsPerFilter": 100 } }'
        $session = Connect-AlexaAccount -Email $account.Email -Password $account.SecurePassword -BaseUri $Base -SiteProfile $profilePath -WarningAction SilentlyContinue

        $verbose = $null
        $result = Set-AlexaPrivacyPolicy -Session $session -Policy @{ DeleteRecordingsOlderThan = '30.00:00:00' } -Confirm:$false -Verbose 4>&1 -WarningAction SilentlyContinue |
            Tee-Object -Variable verbose | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] }
        $cutMs = $result.Cutoff.ToUnixTimeMilliseconds()
        [math]::Abs($cutMs - $cutoff.ToUnixTimeMilliseconds()) | Should -BeLessThan (15 * 60 * 1000)
        $older = @($stored | Where-Object timestamp -lt $cutMs)
        $newer = @($stored | Where-Object timestamp -ge $cutMs)
        $older.Count | Should -BeGreaterThan 280

        $left = @(Get-StoredRecords $account.Email)
        @(Compare-Object ($left.key | Sort-Object) ($newer.key | Sort-Object)).Count | Should -Be 0
        $result.Deletion.Requested | Should -Be $older.Count
        $result.Deletion.Deleted | Should -Be $older.Count
        $result.Deletion.Remaining | Should -BeNullOrEmpty
        $result.Deletion.Method | Should -Be 'Filter'
        $result.RecordingsOlderThanCutoff | Should -Be 0
        $result.Compliant | Should -BeTrue
        # Several runs of whole days through the page's button, and the cutoff's day by each record's own.
        @($verbose | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -match "deleting them with the page's button" }).Count |
            Should -BeGreaterOrEqual 3
        @($verbose | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -match 'one by one' }).Count | Should -BeGreaterOrEqual 1

        # Deleting twice: nothing more is older than the cutoff, nothing is deleted, the stored records stay as they are.
        $again = Set-AlexaPrivacyPolicy -Session $session -Policy @{ DeleteRecordingsOlderThan = '30.00:00:00' } -Confirm:$false -WarningAction SilentlyContinue
        $again.RecordingsOlderThanCutoff | Should -Be 0
        $again.Deletion | Should -BeNullOrEmpty
        $again.Compliant | Should -BeTrue
        $kept = @(Get-StoredRecords $account.Email)
        @(Compare-Object ($kept.key | Sort-Object) ($left.key | Sort-Object)).Count | Should -Be 0
        Disconnect-AlexaAccount -Session $session
    }
}
