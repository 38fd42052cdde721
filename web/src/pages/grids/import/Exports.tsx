// Exports (GeoJSON in a chosen datum, the people sheet, its template) and the people-sheet import.
import { useState } from 'react';
import { Alert, Button, Card, Col, Descriptions, Row, Select, Space, TreeSelect, Typography, Upload } from 'antd';
import { CloudUploadOutlined, DownloadOutlined, FileExcelOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { CRS_LIST, type Crs, DOWNLOADS, type GridProblemOut, type GridTreeNode, type PeopleImportResult, problemsOf, useGridTree, gridWrites as writes } from '../../../components/grids/gridsApi';
import { ProblemTable } from '../../../components/grids/ProblemTable';
import { gridKeys } from '../../../queryKeys';

export function divisionOptions(nodes: GridTreeNode[]): { value: string; title: string; children?: ReturnType<typeof divisionOptions> }[] {
  return nodes
    .filter((n) => n.kind === 'division')
    .map((n) => {
      const kids = divisionOptions(n.children);
      return { value: n.code, title: `${n.name}（${n.code}）`, ...(kids.length ? { children: kids } : {}) };
    });
}

export function Exports() {
  const { t } = useTranslation();
  const tree = useGridTree();
  const [crs, setCrs] = useState<Crs>('WGS84');
  const [parent, setParent] = useState<string | undefined>();
  const [people, setPeople] = useState<{ busy: boolean; result?: PeopleImportResult; problems?: GridProblemOut[]; failure?: string; name?: string }>({ busy: false });
  const client = useQueryClient();

  const importPeople = async (file: File) => {
    setPeople({ busy: true, name: file.name });
    try {
      const result = await writes.importPeople(file, file.name);
      setPeople({ busy: false, result, name: file.name });
      void client.invalidateQueries({ queryKey: gridKeys.details() });
    } catch (err) {
      const problems = problemsOf(err);
      setPeople({ busy: false, name: file.name, ...(problems.length ? { problems } : { failure: err instanceof Error ? err.message : String(err) }) });
    }
  };

  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} lg={10}>
        <Card title={t('gridImport.exportTitle')} style={{ height: '100%' }}>
          <Descriptions
            size="small"
            column={1}
            items={[
              {
                key: 'crs',
                label: t('gridImport.datum'),
                children: (
                  <Select<Crs>
                    value={crs}
                    onChange={setCrs}
                    style={{ width: '100%' }}
                    data-testid="grid-export-crs"
                    options={CRS_LIST.map((c) => ({ value: c, label: `${t(`gridImport.crs.${c}`)} · ${t(`gridImport.crsHint.${c}`)}` }))}
                  />
                ),
              },
              {
                key: 'parent',
                label: t('gridImport.exportScope'),
                children: (
                  <TreeSelect
                    allowClear
                    value={parent}
                    onChange={setParent}
                    placeholder={t('gridImport.exportAll')}
                    style={{ width: '100%' }}
                    treeDefaultExpandAll
                    treeData={divisionOptions(tree.data?.roots ?? [])}
                  />
                ),
              },
            ]}
          />
          <Button type="primary" icon={<DownloadOutlined />} href={DOWNLOADS.geojson(crs, parent)} download data-testid="grid-export-geojson" style={{ marginTop: 8 }}>
            {t('gridImport.exportGeojson')}
          </Button>
        </Card>
      </Col>
      <Col xs={24} lg={14}>
        <Card title={t('gridImport.peopleTitle')} style={{ height: '100%' }}>
          <Typography.Paragraph type="secondary">{t('gridImport.peopleHint')}</Typography.Paragraph>
          <Space wrap>
            <Button icon={<FileExcelOutlined />} href={DOWNLOADS.people} download data-testid="grid-export-people">
              {t('gridImport.peopleExport')}
            </Button>
            <Button icon={<DownloadOutlined />} href={DOWNLOADS.peopleTemplate} download data-testid="grid-people-template">
              {t('gridImport.peopleTemplate')}
            </Button>
            <span data-testid="grid-people-upload">
              <Upload
                accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                showUploadList={false}
                beforeUpload={(f) => {
                  void importPeople(f);
                  return false;
                }}
              >
                <Button type="primary" icon={<CloudUploadOutlined />} loading={people.busy} data-testid="grid-people-import">
                  {t('gridImport.peopleImport')}
                </Button>
              </Upload>
            </span>
          </Space>
          {people.result && (
            <Alert
              type="success"
              showIcon
              style={{ marginTop: 12 }}
              data-testid="grid-people-import-ok"
              title={t('gridImport.peopleDone', { rows: people.result.rows, grids: people.result.grids, removed: people.result.removed })}
            />
          )}
          {people.failure && <Alert type="error" showIcon style={{ marginTop: 12 }} title={people.failure} />}
          {people.problems && (
            <div style={{ marginTop: 12 }} data-testid="grid-people-import-errors">
              <Alert
                type="error"
                showIcon
                style={{ marginBottom: 8 }}
                title={t('gridImport.peopleFailed', { name: people.name ?? '', count: people.problems.length })}
              />
              <ProblemTable problems={people.problems} kind="sheet" testId="grid-people-problems" pageSize={8} />
            </div>
          )}
        </Card>
      </Col>
    </Row>
  );
}
